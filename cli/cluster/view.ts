import { KINDS, type KindDefinition } from '../../api/index.js';
import { auditWorkload, type Finding } from '../../engine/escalation/index.js';
import {
  buildSnapshot,
  indexDevices,
  withDevices,
  type DeviceObjects,
  type EngineConfig,
  type GovernanceObjects,
  type GovernanceSnapshot,
} from '../../engine/index.js';
import type { JsonRecord } from '../../engine/json.js';
import { SchemaGate } from '../../operator/cache/schema-gate.js';
import { GOVERNANCE_FIELDS } from '../governance.js';

/** A workload as read from the cluster, with its apiVersion and kind. */
export type Workload = JsonRecord;

/** What `readCluster` read, before the engine sees it. */
export interface RawCluster {
  /** The raw objects of each oos kind, by kind name (`Capability`); absent: not read. */
  readonly governance: Readonly<Record<string, readonly JsonRecord[]>>;
  readonly workloads: readonly Workload[];
  /** Labels by namespace name; undefined when Namespaces could not be listed. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>> | undefined;
  readonly devices: DeviceObjects;
  /** What could not be read (each one sentence). */
  readonly warnings: readonly string[];
}

/** The cluster as the engine sees it, read with the user's identity. */
export interface ClusterView {
  readonly snapshot: GovernanceSnapshot;
  readonly objects: GovernanceObjects;
  readonly workloads: readonly Workload[];
  /** The labels of a namespace ({} when unknown: see `warnings`). */
  namespaceLabels(namespace: string): Readonly<Record<string, string>>;
  /** The background audit's findings (`auditWorkload`) for every running AI workload. */
  readonly findings: readonly Finding[];
  readonly now: Date;
  /** Partial reads and objects left out; empty when the view is whole. */
  readonly warnings: readonly string[];
}

function describe(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`;
}

/**
 * The objects of one oos kind that pass its schema (the operator's SchemaGate: a bad status alone
 * keeps the spec), and a warning per object left out or read without its status.
 */
function admit(
  definition: KindDefinition,
  raws: readonly JsonRecord[],
): { objects: readonly unknown[]; warnings: string[] } {
  const gate = new SchemaGate(definition);
  const objects = gate.admit(raws);
  const warnings = gate
    .invalid()
    .map(
      (invalid) =>
        `${describe(invalid.kind, invalid.namespace, invalid.name)} does not match the oos schema (${invalid.issues.join('; ')}): ${invalid.kept ? 'its status is ignored' : 'it is left out, as the operator leaves it out'}`,
    );
  return { objects, warnings };
}

/**
 * Builds the view exactly as the operator builds its snapshot: the oos objects through their
 * schemas, `buildSnapshot` with the engine config, the DRA objects indexed, and `auditWorkload`
 * for each workload with its namespace's labels. Pure: the time is passed in.
 */
export function buildClusterView(raw: RawCluster, config: EngineConfig, now: Date): ClusterView {
  const warnings = [...raw.warnings];
  const fields: Partial<Record<keyof GovernanceObjects, readonly unknown[]>> = {};
  for (const definition of KINDS) {
    const field = GOVERNANCE_FIELDS[definition.kind];
    const raws = raw.governance[definition.kind];
    if (field === undefined || raws === undefined) continue;
    const admitted = admit(definition, raws);
    fields[field] = admitted.objects;
    warnings.push(...admitted.warnings);
  }
  const objects = fields as GovernanceObjects;
  const snapshot = withDevices(buildSnapshot(objects, config), indexDevices(raw.devices));
  const labelsOf = (namespace: string) => raw.namespaces?.get(namespace);
  const findings: Finding[] = [];
  for (const workload of raw.workloads) {
    const metadata = workload.metadata as { namespace?: unknown } | undefined;
    const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
    const finding = auditWorkload(workload, snapshot, labelsOf(namespace), now);
    if (finding !== undefined) findings.push(finding);
  }
  return {
    snapshot,
    objects,
    workloads: raw.workloads,
    namespaceLabels: (namespace) => labelsOf(namespace) ?? {},
    findings,
    now,
    warnings,
  };
}
