import {
  CONDITION_READY,
  type Delegation,
  type DelegationState,
  type DelegationStatus,
} from '../../api/index.js';
import { delegationState } from '../chain/delegation.js';
import { leadTimeMs } from '../escalation/routing.js';
import {
  delegationKey,
  objectKey,
  type GovernanceSnapshot,
  type IndexedDelegation,
} from '../snapshot.js';
import { formatTime } from '../time.js';
import { mergeConditions, type ConditionSpec } from './conditions.js';
import { withObservedGeneration } from './generation.js';

/** True while an active delegation is within the lead time of its DelegationExpiring trigger. */
export const CONDITION_EXPIRING = 'Expiring';

/** The indexed form of a Delegation in the snapshot (same validity rules as admission). */
export function indexedDelegation(
  delegation: Delegation,
  snapshot: GovernanceSnapshot,
): IndexedDelegation | undefined {
  const { spec, metadata } = delegation;
  const key = delegationKey(metadata.namespace ?? '', spec.capability, spec.serviceAccount);
  return snapshot.delegations.get(key)?.find((candidate) => candidate.name === metadata.name);
}

function readyCondition(
  delegation: Delegation,
  indexed: IndexedDelegation,
  state: DelegationState,
  capabilityExists: boolean,
): ConditionSpec {
  const { spec } = delegation;
  const renew = `a current holder of the accountable role of capability ${spec.capability} must create a new Delegation`;
  const messages: Record<DelegationState, string> = {
    Active: `ServiceAccount ${spec.serviceAccount} may execute capability ${spec.capability} until ${formatTime(indexed.until)}.`,
    NotYetValid: `The delegation starts at ${formatTime(indexed.from)}; until then ServiceAccount ${spec.serviceAccount} may not execute capability ${spec.capability}.`,
    Expired: `The delegation expired at ${formatTime(indexed.until)}: ${renew} if ServiceAccount ${spec.serviceAccount} should go on.`,
    Revoked: `The delegation was revoked: ${renew} if ServiceAccount ${spec.serviceAccount} should run again.`,
  };
  if (state === 'Active' && !capabilityExists) {
    return {
      type: CONDITION_READY,
      status: 'False',
      reason: 'CapabilityNotFound',
      message: `Capability ${spec.capability} does not exist in this namespace: create it, or delete this Delegation.`,
    };
  }
  return {
    type: CONDITION_READY,
    status: state === 'Active' ? 'True' : 'False',
    reason: state,
    message: messages[state],
  };
}

/**
 * The status of a Delegation at `now`: its state (NotYetValid, Active, Expired, Revoked), Ready,
 * and Expiring while an active delegation is within the lead time of its capability's
 * DelegationExpiring trigger (14 days by default).
 */
export function delegationStatus(
  delegation: Delegation,
  snapshot: GovernanceSnapshot,
  now: number,
): DelegationStatus {
  const namespace = delegation.metadata.namespace ?? '';
  const indexed = indexedDelegation(delegation, snapshot) ?? {
    namespace,
    name: delegation.metadata.name ?? '',
    capability: delegation.spec.capability,
    serviceAccount: delegation.spec.serviceAccount,
    from: -Infinity,
    until: -Infinity,
    revoked: delegation.spec.revoked,
  };
  const state = delegationState(indexed, now);
  const capability = snapshot.capabilities.get(objectKey(namespace, delegation.spec.capability));
  const lead = leadTimeMs(snapshot, namespace, capability, 'DelegationExpiring');
  const expiring = state === 'Active' && indexed.until - lead <= now;
  const expiringCondition: ConditionSpec = expiring
    ? {
        type: CONDITION_EXPIRING,
        status: 'True',
        reason: 'ExpiresSoon',
        message: `The delegation expires at ${formatTime(indexed.until)}: a current holder of the accountable role should create a new Delegation before then (validUntil cannot be extended).`,
      }
    : {
        type: CONDITION_EXPIRING,
        status: 'False',
        reason: state === 'Active' ? 'NotExpiring' : state,
        message:
          state === 'Active'
            ? `The delegation runs until ${formatTime(indexed.until)}.`
            : `The delegation is ${state}.`,
      };
  const generation = delegation.metadata.generation;
  return withObservedGeneration(generation, {
    state,
    conditions: mergeConditions(
      delegation.status?.conditions,
      [readyCondition(delegation, indexed, state, capability !== undefined), expiringCondition],
      generation,
      now,
    ),
  });
}
