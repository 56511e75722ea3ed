import { parseTime } from '../time.js';
import {
  CONDITION_READY,
  type Exemption,
  type ExemptionState,
  type ExemptionStatus,
} from '../../api/index.js';
import type { GovernanceSnapshot, IndexedExemption } from '../snapshot.js';
import { formatTime } from '../time.js';
import { mergeConditions, type ConditionSpec } from './conditions.js';
import { withObservedGeneration } from './generation.js';

/** The indexed form of an Exemption (undefined when it names a namespace it may not cover). */
export function indexedExemption(
  exemption: Exemption,
  snapshot: GovernanceSnapshot,
): IndexedExemption | undefined {
  const namespace = exemption.metadata.namespace ?? '';
  const target = exemption.spec.scope.namespace ?? namespace;
  return snapshot.exemptions
    .get(target)
    ?.find(
      (candidate) =>
        candidate.namespace === namespace && candidate.name === exemption.metadata.name,
    );
}

/** Where an exemption stands at `now`: expired wins, then approval. */
export function exemptionState(indexed: IndexedExemption, now: number): ExemptionState {
  if (indexed.expires <= now) return 'Expired';
  return indexed.approved ? 'Active' : 'PendingApproval';
}

/** The status of an Exemption at `now`: PendingApproval, Active or Expired, and Ready when Active. */
export function exemptionStatus(
  exemption: Exemption,
  snapshot: GovernanceSnapshot,
  now: number,
): ExemptionStatus {
  const indexed = indexedExemption(exemption, snapshot);
  const { spec } = exemption;
  let state: ExemptionState;
  let ready: ConditionSpec;
  if (indexed === undefined) {
    state = (parseTime(spec.expiresAt) ?? NaN) <= now ? 'Expired' : 'PendingApproval';
    ready = {
      type: CONDITION_READY,
      status: 'False',
      reason: 'OutOfScope',
      message: `Only Exemptions in the oos namespace may cover another namespace (${spec.scope.namespace ?? ''}): create it in that namespace instead.`,
    };
  } else {
    state = exemptionState(indexed, now);
    const until = formatTime(indexed.expires);
    const messages: Record<ExemptionState, string> = {
      Active: `Approved by ${indexed.approvedBy ?? 'a person other than the requester'}; in effect until ${until}.`,
      PendingApproval:
        indexed.unhonoured === undefined
          ? `Waiting for approval by a person other than the requester (${spec.requestedBy ?? 'unknown'}): a current holder of the accountable role or a governance admin sets approved: true.`
          : `Marked approved, but the approval does not count: ${indexed.unhonoured}. A current holder of the accountable role or a governance admin must approve a new Exemption.`,
      Expired: `Expired at ${until}: it has no effect any more; delete it, or create a new Exemption if the break-glass is still needed.`,
    };
    ready = {
      type: CONDITION_READY,
      status: state === 'Active' ? 'True' : 'False',
      reason: state,
      message: messages[state],
    };
  }
  const generation = exemption.metadata.generation;
  return withObservedGeneration(generation, {
    state,
    conditions: mergeConditions(exemption.status?.conditions, [ready], generation, now),
  });
}
