import type { EnforcementMode, ObjectReference } from '../../api/index.js';
import { anchoredMessage } from '../chain/index.js';
import { decide } from '../decide.js';
import type { Chain } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { stringAt, type JsonRecord } from '../json.js';
import type { ReasonCode } from '../reasons.js';
import { flat } from '../text.js';
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
import { describeObject, splitApiVersion } from '../workload/view.js';

/** The identity the background audit decides as; workload decisions never depend on it. */
export const AUDIT_IDENTITY = { username: 'system:oos:audit', groups: [] } as const;

/** What the background audit concluded about one running AI workload. */
export interface Finding {
  readonly workload: ObjectReference;
  readonly uid: string | undefined;
  readonly reason: ReasonCode;
  /**
   * Why, as admission would say it; undefined for an anchored workload, whose message is its
   * chain's ({@link findingMessage} builds it). A round holds a finding for every running AI
   * workload (20,000 at full size), and the anchored ones' messages, two bytes a character for
   * their arrows, were 7 MiB that only the register and the reports read.
   */
  readonly message: string | undefined;
  /** The capability its label names, if any. */
  readonly capability: string | undefined;
  /** The stop button can scale it to zero or suspend it. */
  readonly stoppable: boolean;
  /**
   * Admitted without a chain: its namespace is exempt (GovernancePolicy exemptNamespaces, the
   * operator's namespace) or an approved Exemption covers it. Exempt is never invisible.
   */
  readonly exemptedBy: 'ExemptNamespace' | 'Exemption' | undefined;
  /** The chain the decision resolved (capability, role, current holders, delegation, exemption). */
  readonly chain: Chain;
  /** The enforcement mode of its namespace. */
  readonly mode: EnforcementMode;
  /**
   * For an exempted workload: what the anchor chain decides without the exempt namespace and the
   * Exemptions (an exemption hides a verdict, it never erases it). Undefined otherwise.
   */
  readonly underlying?: UnderlyingVerdict | undefined;
}

/** The part of a decision a finding keeps about the chain without its exemption. */
export interface UnderlyingVerdict {
  readonly reason: ReasonCode;
  readonly message: string;
  readonly chain: Chain;
}

const unexempted = new WeakMap<GovernanceSnapshot, GovernanceSnapshot>();

/** The snapshot without exempt namespaces and Exemptions, built once per snapshot. */
function withoutExemptions(snapshot: GovernanceSnapshot): GovernanceSnapshot {
  let plain = unexempted.get(snapshot);
  if (plain === undefined) {
    plain = {
      ...snapshot,
      exemptions: new Map(),
      policy: { ...snapshot.policy, exemptNamespaces: new Set() },
    };
    unexempted.set(snapshot, plain);
  }
  return plain;
}

/** What admission would say of the workload: its message, or its chain's for an anchored one. */
export function findingMessage(finding: Finding): string {
  const { kind, namespace, name } = finding.workload;
  return finding.message ?? anchoredMessage(describeObject(kind, namespace, name), finding.chain);
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
  const { group, version } = splitApiVersion(apiVersion);
  const input: AdmissionInput = {
    operation: 'CREATE',
    // Its keys named, not spread: a literal that starts with a spread and adds a key gets a
    // hidden class per object (engine/shape.ts), here one per audited workload and round.
    kind: { group, version, kind },
    namespace,
    name,
    // The stop button's state on a running workload is the operator's own, not a forgery.
    object: withoutState(object),
    userInfo: AUDIT_IDENTITY,
    ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
  };
  const decision = decide(input, snapshot, now);
  if (decision.reason === 'NotAIWorkload' || decision.reason === 'NotGoverned') return undefined;
  const exempted = decision.reason === 'Exempted';
  const underlying = exempted ? decide(input, withoutExemptions(snapshot), now) : undefined;
  return {
    workload: { apiVersion, kind, namespace, name },
    uid: stringAt(object, 'metadata', 'uid'),
    reason: decision.reason,
    message: decision.reason === 'Anchored' ? undefined : flat(decision.message),
    capability: capabilityLabel(object),
    stoppable: isStoppable(object, methods),
    exemptedBy: !exempted
      ? undefined
      : snapshot.policy.exemptNamespaces.has(namespace)
        ? 'ExemptNamespace'
        : 'Exemption',
    chain: decision.chain,
    mode: decision.mode,
    underlying:
      underlying === undefined
        ? undefined
        : {
            reason: underlying.reason,
            message: flat(underlying.message),
            chain: underlying.chain,
          },
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
