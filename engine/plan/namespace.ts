/**
 * The part of a round that belongs to one namespace: its workloads' audit and stop steps, its
 * capabilities' and findings' triggers, the status of its oos objects and its share of the
 * gauges. Everything here reads only the namespace's inputs (memo.ts), so a namespace whose
 * inputs, workloads and objects are all the same as in the previous round is reused whole, and a
 * round after one change costs that namespace plus bookkeeping per namespace, not per object.
 * Within a namespace planned again, a workload is audited again only when the part of the inputs
 * it reads changed (its capability's, or the namespace's common part: memo.ts NamespaceParts), and
 * so are a capability's triggers and a Capability's or a Delegation's status: a change of one
 * capability plans that capability's workloads, triggers and statuses, not the namespace's.
 */
import type { Capability, Delegation } from '../../api/index.js';
import { auditWorkload, countByCapability, isAnchored, type Finding } from '../escalation/audit.js';
import {
  capabilityTriggers,
  findingsByCapability,
  findingTrigger,
  type Triggered,
} from '../escalation/causes.js';
import { delegationState } from '../chain/delegation.js';
import { sameJson, stringAt, type JsonRecord } from '../json.js';
import { objectKey, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';
import { indexedDelegation } from '../status/delegation.js';
import { invalidKey, withValidCondition } from '../status/valid.js';
import type { WorkloadCount } from '../status/capability.js';
import { capabilityLabel, groupKind, type StopMethods } from '../stop/workload.js';
import { stopStep } from '../stop/plan.js';
import { sameItems } from '../identity.js';
import { entriesOf, type InteractionsPlan } from './interactions.js';
import { partOf, type NamespaceParts, type RoundMemo, type StatusPlan } from './memo.js';
import { NamespaceMetrics } from './metrics.js';
import { STATUS_KINDS, type StatusObject } from './statuses.js';
import type { InvalidInput, PlannedStatus, PlannedStop } from './round.js';

/** What one namespace brings to a round. */
export interface NamespaceInput {
  readonly namespace: string;
  /** Its workloads, in the informers' order. */
  readonly workloads: readonly JsonRecord[];
  /** Its Capabilities as the snapshot indexes them. */
  readonly capabilities: readonly IndexedCapability[];
  /** Its oos objects whose status is planned, with their kind. */
  readonly objects: readonly StatusObject[];
}

/** Everything a round planned for one namespace. */
export interface NamespacePlan {
  /** The identities it was planned from (its inputs, then its workloads and objects). */
  readonly inputs: readonly unknown[];
  readonly workloads: readonly JsonRecord[];
  readonly objects: readonly StatusObject[];
  readonly findings: readonly Finding[];
  /** By {@link stopId}. */
  readonly stops: ReadonlyMap<string, PlannedStop>;
  /** By {@link invalidKey}. */
  readonly uids: ReadonlyMap<string, string>;
  readonly counts: ReadonlyMap<string, WorkloadCount>;
  /** The triggers that raise a cause or change by the clock. */
  readonly triggers: readonly Triggered[];
  /**
   * Those of {@link triggers} that raise a cause: the round gathers these from every namespace,
   * reused or not, where the others (10,000 at full size) would be a walk per round.
   */
  readonly raising: readonly Triggered[];
  /** By {@link invalidKey}. */
  readonly statuses: ReadonlyMap<string, PlannedStatus>;
  readonly metrics: NamespaceMetrics;
  /** The earliest instant at which anything here changes by the clock alone (Infinity: never). */
  readonly wakeAt: number;
}

/** What planning a namespace reads besides the namespace's own input. */
export interface NamespaceContext {
  readonly snapshot: GovernanceSnapshot;
  readonly now: Date;
  readonly methods: StopMethods;
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly invalid: ReadonlyMap<string, InvalidInput>;
  /** The previous round's memo, when this namespace's inputs are the same as then. */
  readonly reuse: RoundMemo | undefined;
  /**
   * The previous round's memo when its wake-up has not come, whatever changed since: a
   * workload's plan and a capability's triggers in it are reused when the parts of the inputs
   * they were planned from are the same as `parts`' now.
   */
  readonly inWindow: RoundMemo | undefined;
  /** The namespace's inputs as the audit and the triggers read them. */
  readonly parts: NamespaceParts;
  /**
   * `inWindow` when nothing in the namespace is invalid (a status reads its object's issues):
   * a Capability's or a Delegation's status in it is reused when its parts are the same.
   */
  readonly statusWindow: RoundMemo | undefined;
  /** This round's memo, which records every item planned. */
  readonly memo: RoundMemo;
  /**
   * The namespace's plan in the previous round, reusable or not: the memo's items of objects it
   * planned that are now replaced by newer versions are dropped (the snapshot may still hold the
   * old versions, and would keep their items alive).
   */
  readonly previous?: NamespacePlan | undefined;
  /** Yields between items when a slice is used up. */
  readonly tick: () => boolean;
  /** The round's interaction graph and what each capability's status reads of it. */
  readonly interactions: InteractionsPlan;
}

/** `group/Kind/namespace/name`: how a round keys a workload. */
export function stopId(workload: JsonRecord): string {
  return `${groupKind(workload)}/${stringAt(workload, 'metadata', 'namespace') ?? ''}/${stringAt(workload, 'metadata', 'name') ?? ''}`;
}

/**
 * Plans one status, reusing the previous plan of the same object when `extra`, what it reads
 * besides its object, its namespace's inputs and the clock, is the same: a Capability's workload
 * count, an AccountableRole the capabilities anchored to it. The plan of the object's previous
 * version stands too when the object is that version with the planned status written back
 * ({@link echoOf}).
 */
export function planStatus(
  kind: string,
  object: StatusObject,
  extra: string,
  reuse: RoundMemo | undefined,
  previous: PlannedStatus | undefined,
  inputs: Parameters<(typeof STATUS_KINDS)[string]['compute']>[1],
  invalid: ReadonlyMap<string, InvalidInput>,
  now: number,
  parted?: PartedStatus,
): StatusPlan {
  const reused =
    reuse?.statuses.get(object) ??
    echoOf(object, previous, reuse) ??
    samePartsPlan(object, previous, parted);
  if (reused?.extra === extra && !reused.refused) return reused;
  const statusKind = STATUS_KINDS[kind];
  if (statusKind === undefined) throw new Error(`no status kind ${kind}`);
  let wanted = statusKind.compute(object, inputs, now) as Record<string, unknown>;
  const issues = invalid.get(
    invalidKey(kind, object.metadata.namespace, object.metadata.name ?? ''),
  );
  if (issues?.part === 'spec') wanted = withValidCondition(wanted, object.status, issues, now);
  // Unchanged: the stored status itself, so the plan holds no second copy of what is stored.
  if (object.status !== undefined && sameJson(object.status, wanted)) {
    wanted = object.status;
  }
  return {
    wanted,
    changesAt: statusKind.changesAt(object, inputs.snapshot, now),
    extra,
    common: parted?.common,
    part: parted?.part,
    refused: issues?.part === 'spec',
  };
}

/**
 * The parts of its namespace's inputs a Capability's or a Delegation's status reads (its
 * capability's part: the capability's spec, its role's and its Delegations'; and the common part),
 * and the memo whose plans it may reuse when they were planned from the very same parts.
 */
export interface PartedStatus {
  /** The previous round's memo when its wake-up has not come and nothing in the namespace is invalid. */
  readonly memo: RoundMemo | undefined;
  readonly common: readonly unknown[];
  readonly part: readonly unknown[];
}

/** The plan of the object (or of the version it echoes) in `parted.memo`, when from the same parts. */
function samePartsPlan(
  object: StatusObject,
  previous: PlannedStatus | undefined,
  parted: PartedStatus | undefined,
): StatusPlan | undefined {
  if (parted?.memo === undefined) return undefined;
  const plan = parted.memo.statuses.get(object) ?? echoOf(object, previous, parted.memo);
  return plan?.part !== undefined &&
    sameItems(plan.part, parted.part) &&
    plan.common !== undefined &&
    sameItems(plan.common, parted.common)
    ? plan
    : undefined;
}

/**
 * The plan of an object's previous version, when the object is that version with the status the
 * plan wanted written back: the same `spec` object and generation, and as its status the very
 * object the plan wanted (the operator's cache keeps the status writer's own object for the echo
 * of its write). A status computed from the status it computed is that status (each condition
 * keeps its transition time), so the plan stands, and a round after a first round's 16,000 writes
 * computes none of them again. Only for a `reuse`: its inputs are the same and its wake-up has
 * not come.
 */
function echoOf(
  object: StatusObject,
  previous: PlannedStatus | undefined,
  reuse: RoundMemo | undefined,
): StatusPlan | undefined {
  if (reuse === undefined || previous === undefined || !isEcho(object, previous)) return undefined;
  return reuse.statuses.get(previous.object);
}

/** Whether `object` is `planned.object` with `planned.wanted` written back as its status. */
function isEcho(object: StatusObject, planned: PlannedStatus): boolean {
  const before = planned.object;
  return (
    object.status !== undefined &&
    object.status === planned.wanted &&
    specOf(object) === specOf(before) &&
    object.metadata.generation === before.metadata.generation &&
    object.metadata.uid === before.metadata.uid
  );
}

/**
 * The previous plan of a namespace whose inputs and workloads are the same and whose objects are
 * the same or echoes of their planned statuses ({@link echoOf}): that plan, its statuses now of
 * the new objects (the memo's items move with them). Undefined when any object is neither. A
 * round after a first round's writes so costs each namespace one pass over its objects.
 */
export function rebased(
  last: NamespacePlan,
  namespace: string,
  objects: readonly StatusObject[],
  memo: RoundMemo,
): NamespacePlan | undefined {
  if (objects.length !== last.objects.length) return undefined;
  const echoes: [string, PlannedStatus, StatusObject][] = [];
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    const before = last.objects[i];
    if (object === undefined || object === before) continue;
    const key = invalidKey(object.kind, namespace, object.metadata.name ?? '');
    const planned = last.statuses.get(key);
    if (planned === undefined || planned.object !== before || !isEcho(object, planned)) {
      return undefined;
    }
    echoes.push([key, planned, object]);
  }
  const statuses = new Map(last.statuses);
  for (const [key, planned, object] of echoes) {
    statuses.set(key, { ...planned, object });
    const item = memo.statuses.get(planned.object);
    if (item !== undefined) memo.statuses.set(object, item);
    memo.statuses.delete(planned.object);
  }
  return { ...last, objects, statuses };
}

const specOf = (object: StatusObject): unknown => (object as { spec?: unknown }).spec;

/** Plans one namespace (see the module comment), yielding when `context.tick()` says so. Pure. */
export function* planNamespace(
  input: NamespaceInput,
  inputs: readonly unknown[],
  context: NamespaceContext,
): Generator<void, NamespacePlan, void> {
  const { snapshot, methods, reuse, inWindow, memo, tick } = context;
  const { common } = context.parts;
  const now = context.now.getTime();
  let wakeAt = Infinity;
  const consider = (at: number | undefined): void => {
    if (at !== undefined && at < wakeAt) wakeAt = at;
  };
  const triggers: Triggered[] = [];
  const raising: Triggered[] = [];
  const record = (triggered: Triggered): void => {
    if (triggered.causes.length > 0 || triggered.changesAt !== undefined) triggers.push(triggered);
    if (triggered.causes.length > 0) raising.push(triggered);
    consider(triggered.changesAt);
  };

  const findings: Finding[] = [];
  const stops = new Map<string, PlannedStop>();
  const uids = new Map<string, string>();
  for (const workload of input.workloads) {
    const label = capabilityLabel(workload);
    const part = partOf(context.parts, label);
    let planned = inWindow?.workloads.get(workload);
    if (
      planned === undefined ||
      !sameItems(planned.part, part) ||
      !sameItems(planned.common, common)
    ) {
      const finding = auditWorkload(workload, snapshot, context.labels, context.now, methods);
      const capability =
        label === undefined
          ? undefined
          : snapshot.capabilities.get(objectKey(input.namespace, label))?.capability;
      const step = stopStep(workload, capability, methods);
      planned = {
        finding,
        stop: step.action === 'none' ? undefined : { workload, capability, step },
        common,
        part,
      };
    }
    memo.workloads.set(workload, planned);
    const { finding, stop } = planned;
    if (finding !== undefined) {
      findings.push(finding);
      if (finding.uid !== undefined) {
        uids.set(
          invalidKey(finding.workload.kind, input.namespace, finding.workload.name),
          finding.uid,
        );
      }
    }
    if (stop !== undefined) stops.set(stopId(workload), stop);
    if (tick()) yield;
  }
  const counts = countByCapability(findings);

  const byCapability = findingsByCapability(findings);
  for (const capability of input.capabilities) {
    const own = byCapability.get(objectKey(input.namespace, capability.name)) ?? [];
    const part = partOf(context.parts, capability.name);
    const reused = inWindow?.capabilityTriggers.get(capability.capability.spec);
    const entry =
      reused !== undefined &&
      sameItems(reused.findings, own) &&
      sameItems(reused.part, part) &&
      sameItems(reused.common, common)
        ? reused
        : {
            findings: own,
            common,
            part,
            triggered: capabilityTriggers(snapshot, capability, own, now),
          };
    memo.capabilityTriggers.set(capability.capability.spec, entry);
    entry.triggered.forEach(record);
    if (tick()) yield;
  }
  for (const finding of findings) {
    const triggered =
      inWindow?.findingTriggers.get(finding) ?? findingTrigger(snapshot, finding, now);
    memo.findingTriggers.set(finding, triggered);
    record(triggered);
    if (tick()) yield;
  }

  const metrics = new NamespaceMetrics();
  const statuses = new Map<string, PlannedStatus>();
  const { interactions } = context;
  const statusInputs = {
    snapshot,
    counts,
    interactionEntries: (key: string) => entriesOf(interactions, key),
  };
  for (const object of input.objects) {
    const { kind } = object;
    const key = invalidKey(kind, input.namespace, object.metadata.name ?? '');
    if (object.metadata.uid !== undefined) uids.set(key, object.metadata.uid);
    const capabilityKey = objectKey(input.namespace, object.metadata.name ?? '');
    const extra =
      kind === 'Capability'
        ? `${countText(counts.get(capabilityKey))}|${interactions.fingerprints.get(capabilityKey) ?? ''}`
        : '';
    const before = context.previous?.statuses.get(key);
    const planned = planStatus(
      kind,
      object,
      extra,
      reuse,
      before,
      statusInputs,
      context.invalid,
      now,
      partedStatus(object, context),
    );
    const replaced = before?.object;
    if (replaced !== undefined && replaced !== object) memo.statuses.delete(replaced);
    memo.statuses.set(object, planned);
    consider(planned.changesAt);
    statuses.set(key, { kind, object, wanted: planned.wanted, changesAt: planned.changesAt });
    if (kind === 'Capability') metrics.capability(object as Capability, planned.wanted);
    if (kind === 'Delegation') {
      const indexed = indexedDelegation(
        object as Parameters<typeof indexedDelegation>[0],
        snapshot,
      );
      if (indexed !== undefined) metrics.delegation(delegationState(indexed, now));
    }
    if (tick()) yield;
  }
  for (const finding of findings) metrics.finding(finding, isAnchored(finding));

  return {
    inputs,
    workloads: input.workloads,
    objects: input.objects,
    findings,
    stops,
    uids,
    counts,
    triggers,
    raising,
    statuses,
    metrics,
    wakeAt,
  };
}

/** What a Capability's or a Delegation's status reads of its namespace's parts; undefined for other kinds. */
function partedStatus(object: StatusObject, context: NamespaceContext): PartedStatus | undefined {
  const { parts } = context;
  const memo = context.statusWindow;
  if (object.kind === 'Capability') {
    return { memo, common: parts.common, part: partOf(parts, object.metadata.name) };
  }
  if (object.kind === 'Delegation') {
    return {
      memo,
      common: parts.common,
      part: partOf(parts, (object as Delegation).spec.capability),
    };
  }
  return undefined;
}

/** A Capability's workload count as text, the extra input of its status. */
export function countText(count: WorkloadCount | undefined): string {
  return count === undefined ? '' : `${String(count.running)}/${String(count.anchored)}`;
}
