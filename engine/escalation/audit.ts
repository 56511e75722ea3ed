import type { ObjectReference } from '../../api/index.js';
import { decide } from '../decide.js';
import { stringAt, type JsonRecord } from '../json.js';
import type { ReasonCode } from '../reasons.js';
import { objectKey, type GovernanceSnapshot } from '../snapshot.js';
import type { WorkloadCount } from '../status/capability.js';
import {
  capabilityLabel,
  controllerOf,
  isRunning,
  isStoppable,
  TABLE_STOP_METHODS,
  type StopMethods,
} from '../stop/workload.js';
import { withoutState } from '../workload/state.js';
import { splitApiVersion } from '../workload/view.js';

/** The identity the background audit decides as; workload decisions never depend on it. */
export const AUDIT_IDENTITY = { username: 'system:oos:audit', groups: [] } as const;

/** What the background audit concluded about one running AI workload. */
export interface Finding {
  readonly workload: ObjectReference;
  readonly uid: string | undefined;
  readonly reason: ReasonCode;
  readonly message: string;
  /** The capability its label names, if any. */
  readonly capability: string | undefined;
  /** The stop button can scale it to zero or suspend it. */
  readonly stoppable: boolean;
  /**
   * Admitted without a chain: its namespace is exempt (GovernancePolicy exemptNamespaces, the
   * operator's namespace) or an approved Exemption covers it. Exempt is never invisible.
   */
  readonly exemptedBy: 'ExemptNamespace' | 'Exemption' | undefined;
}

/** Reasons under which a running AI workload counts as anchored. */
const ANCHORED: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['Anchored', 'Exempted']);

export function isAnchored(finding: Finding): boolean {
  return ANCHORED.has(finding.reason);
}

/**
 * Judges one workload as admission would judge its creation now (`decide` with CREATE), or
 * undefined when it is not audited: owned by a controller (its owner is audited), not running,
 * or not an AI workload. `object` must carry its apiVersion and kind (list items do not: add them);
 * `methods` are how each kind is stopped, as the operator found them (a CRD serving `scale`).
 */
export function auditWorkload(
  object: JsonRecord,
  snapshot: GovernanceSnapshot,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
  now: Date,
  methods: StopMethods = TABLE_STOP_METHODS,
): Finding | undefined {
  if (controllerOf(object) !== undefined || !isRunning(object, methods)) return undefined;
  const apiVersion = stringAt(object, 'apiVersion') ?? '';
  const kind = stringAt(object, 'kind') ?? '';
  const namespace = stringAt(object, 'metadata', 'namespace');
  const name = stringAt(object, 'metadata', 'name');
  if (namespace === undefined || name === undefined) return undefined;
  const decision = decide(
    {
      operation: 'CREATE',
      kind: { ...splitApiVersion(apiVersion), kind },
      namespace,
      name,
      // The stop button's state on a running workload is the operator's own, not a forgery.
      object: withoutState(object),
      userInfo: AUDIT_IDENTITY,
      ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
    },
    snapshot,
    now,
  );
  if (decision.reason === 'NotAIWorkload' || decision.reason === 'NotGoverned') return undefined;
  return {
    workload: { apiVersion, kind, namespace, name },
    uid: stringAt(object, 'metadata', 'uid'),
    reason: decision.reason,
    message: decision.message,
    capability: capabilityLabel(object),
    stoppable: isStoppable(object, methods),
    exemptedBy:
      decision.reason !== 'Exempted'
        ? undefined
        : snapshot.policy.exemptNamespaces.has(namespace)
          ? 'ExemptNamespace'
          : 'Exemption',
  };
}

/** Running workloads and anchored ones, per capability (by `namespace/name`). */
export function countByCapability(findings: readonly Finding[]): Map<string, WorkloadCount> {
  const counts = new Map<string, WorkloadCount>();
  for (const finding of findings) {
    if (finding.capability === undefined) continue;
    const key = objectKey(finding.workload.namespace ?? '', finding.capability);
    const before = counts.get(key) ?? { running: 0, anchored: 0 };
    counts.set(key, {
      running: before.running + 1,
      anchored: before.anchored + (isAnchored(finding) ? 1 : 0),
    });
  }
  return counts;
}
