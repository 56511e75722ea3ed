import {
  CONDITION_READY,
  type Capability,
  type CapabilityStatus,
  type Condition,
} from '../../api/index.js';
import { delegationState } from '../chain/delegation.js';
import {
  currentHolders,
  delegationKey,
  objectKey,
  type GovernanceSnapshot,
  type IndexedDelegation,
} from '../snapshot.js';
import type { InteractionEntry } from '../coordination/index.js';
import { list } from '../text.js';
import { mergeConditions, type ConditionSpec } from './conditions.js';
import { interactionsCondition, interactionStatuses } from './interactions.js';
import { withObservedGeneration } from './generation.js';

/** Condition types of a Capability besides Ready. */
export const CONDITION_ANCHORED = 'Anchored';
export const CONDITION_DELEGATED = 'Delegated';
export const CONDITION_SUSPENDED = 'Suspended';
export const CONDITION_WORKLOADS_ANCHORED = 'WorkloadsAnchored';

/** What the background audit found running under one capability. */
export interface WorkloadCount {
  /** Running workloads (not owned by another controller) that carry the capability's label. */
  readonly running: number;
  /** Of those, how many pass the anchor chain (or are exempted). */
  readonly anchored: number;
}

export const NO_WORKLOADS: WorkloadCount = { running: 0, anchored: 0 };

/** The delegations of a capability that are active at `now`. */
export function activeDelegations(
  snapshot: GovernanceSnapshot,
  namespace: string,
  capability: string,
  now: number,
): IndexedDelegation[] {
  const accounts = snapshot.delegatedServiceAccounts.get(objectKey(namespace, capability)) ?? [];
  return accounts.flatMap((account) =>
    (snapshot.delegations.get(delegationKey(namespace, capability, account)) ?? []).filter(
      (delegation) => delegationState(delegation, now) === 'Active',
    ),
  );
}

function anchoredCondition(
  snapshot: GovernanceSnapshot,
  roleName: string,
  now: number,
): ConditionSpec {
  const role = snapshot.roles.get(roleName);
  if (role === undefined) {
    return {
      type: CONDITION_ANCHORED,
      status: 'False',
      reason: 'AccountableRoleNotFound',
      message: `AccountableRole ${roleName} does not exist: create it with its human holders, or anchor the capability to an existing role.`,
    };
  }
  const holders = currentHolders(role, now).map((holder) => holder.user);
  return holders.length === 0
    ? {
        type: CONDITION_ANCHORED,
        status: 'False',
        reason: 'AccountabilityVacant',
        message: `AccountableRole ${roleName} has no current holder: add a person as a holder, or renew a holder's attestedUntil.`,
      }
    : {
        type: CONDITION_ANCHORED,
        status: 'True',
        reason: 'HolderCurrent',
        message: `Anchored to AccountableRole ${roleName}, held by ${list(holders)}.`,
      };
}

function delegatedCondition(
  capability: Capability,
  active: readonly IndexedDelegation[],
): ConditionSpec {
  const { spec } = capability;
  if (!spec.delegationRequired && spec.riskTier !== 'High') {
    return {
      type: CONDITION_DELEGATED,
      status: 'True',
      reason: 'NotRequired',
      message: 'The capability requires no Delegation.',
    };
  }
  if (active.length === 0) {
    return {
      type: CONDITION_DELEGATED,
      status: 'False',
      reason: 'DelegationMissing',
      message: `No Delegation of the capability is active, so no workload of it is admitted: a current holder of role ${spec.accountableRole} must create one.`,
    };
  }
  const accounts = [...new Set(active.map((delegation) => delegation.serviceAccount))].sort();
  return {
    type: CONDITION_DELEGATED,
    status: 'True',
    reason: 'DelegationActive',
    message: `${active.length} active Delegation${active.length === 1 ? '' : 's'}, to ServiceAccount${accounts.length === 1 ? '' : 's'} ${list(accounts)}.`,
  };
}

function suspendedCondition(capability: Capability): ConditionSpec {
  const { spec } = capability;
  if (spec.suspend) {
    const by = spec.suspendedBy === undefined ? '' : ` by ${spec.suspendedBy}`;
    const why = spec.suspendReason === undefined ? '' : ` (${spec.suspendReason})`;
    const action =
      spec.stopAction === 'ScaleToZero'
        ? 'its workloads are scaled to zero and no new one is admitted'
        : 'no new workload is admitted; running ones are left alone';
    return {
      type: CONDITION_SUSPENDED,
      status: 'True',
      reason: 'SuspendedByHuman',
      message: `Suspended${by}${why}: ${action} until a current holder of role ${spec.accountableRole} or a governance admin sets spec.suspend to false.`,
    };
  }
  return spec.resumedBy === undefined
    ? {
        type: CONDITION_SUSPENDED,
        status: 'False',
        reason: 'NotSuspended',
        message: 'The capability is not suspended.',
      }
    : {
        type: CONDITION_SUSPENDED,
        status: 'False',
        reason: 'Resumed',
        message: `Resumed by ${spec.resumedBy}.`,
      };
}

function workloadsCondition(count: WorkloadCount): ConditionSpec {
  const unanchored = count.running - count.anchored;
  return unanchored <= 0
    ? {
        type: CONDITION_WORKLOADS_ANCHORED,
        status: 'True',
        reason: 'AllAnchored',
        message:
          count.running === 0
            ? 'No workload of the capability is running.'
            : `${count.running} running workload${count.running === 1 ? '' : 's'}, all anchored.`,
      }
    : {
        type: CONDITION_WORKLOADS_ANCHORED,
        status: 'False',
        reason: 'UnanchoredWorkloads',
        message: `${count.running} running workload${count.running === 1 ? '' : 's'}, ${unanchored} not anchored: see the UnanchoredWorkload escalations of the namespace.`,
      };
}

/** Ready: anchored, delegated (when required) and not suspended; else the first reason why not. */
function readyCondition(parts: readonly ConditionSpec[]): ConditionSpec {
  const failing = parts.find((part) =>
    part.type === CONDITION_SUSPENDED ? part.status === 'True' : part.status !== 'True',
  );
  return failing === undefined
    ? {
        type: CONDITION_READY,
        status: 'True',
        reason: 'Anchored',
        message: 'Workloads of the capability are admitted: it is anchored to a current holder.',
      }
    : {
        type: CONDITION_READY,
        status: 'False',
        reason: failing.reason,
        message: failing.message,
      };
}

/** Whether a capability's workloads are admitted at `now` (Ready), from the conditions it rests on. */
export function capabilityReadiness(
  capability: Capability,
  snapshot: GovernanceSnapshot,
  now: number,
): {
  readonly ready: ConditionSpec;
  readonly parts: readonly ConditionSpec[];
  readonly active: readonly IndexedDelegation[];
} {
  const namespace = capability.metadata.namespace ?? '';
  const name = capability.metadata.name ?? '';
  const active = activeDelegations(snapshot, namespace, name, now);
  const parts = [
    anchoredCondition(snapshot, capability.spec.accountableRole, now),
    delegatedCondition(capability, active),
    suspendedCondition(capability),
  ];
  return { ready: readyCondition(parts), parts, active };
}

/**
 * The status of a Capability at `now`, with what the background audit counted running and its
 * declared interactions as the interaction graph sees them (none: no `interactions`, no
 * InteractionsAgreed condition).
 */
export function capabilityStatus(
  capability: Capability,
  snapshot: GovernanceSnapshot,
  workloads: WorkloadCount,
  now: number,
  interactions: readonly InteractionEntry[] = [],
): CapabilityStatus {
  const { ready, parts, active } = capabilityReadiness(capability, snapshot, now);
  const declared = interactions.length > 0;
  const wanted = [
    ready,
    ...parts,
    workloadsCondition(workloads),
    ...(declared ? [interactionsCondition(interactions)] : []),
  ];
  const generation = capability.metadata.generation;
  const conditions: Condition[] = mergeConditions(
    capability.status?.conditions,
    wanted,
    generation,
    now,
  );
  return withObservedGeneration(generation, {
    workloads: workloads.running,
    activeDelegations: active.length,
    conditions,
    ...(declared
      ? { interactions: interactionStatuses(interactions, capability.status?.interactions, now) }
      : {}),
  });
}
