/** What the status of each oos kind should be at `now`, pure. */
export { accountableRoleStatus } from './accountable-role.js';
export {
  activeDelegations,
  capabilityReadiness,
  capabilityStatus,
  CONDITION_ANCHORED,
  CONDITION_DELEGATED,
  CONDITION_SUSPENDED,
  CONDITION_WORKLOADS_ANCHORED,
  NO_WORKLOADS,
  type WorkloadCount,
} from './capability.js';
export {
  conditionStatus,
  findCondition,
  formatSeconds,
  mergeConditions,
  statusChanged,
  type ConditionSpec,
} from './conditions.js';
export { dependentsOf } from './dependents.js';
export { CONDITION_EXPIRING, delegationStatus, indexedDelegation } from './delegation.js';
export { exemptionState, exemptionStatus, indexedExemption } from './exemption.js';
export { foreignTimes } from './foreign.js';
export { governancePolicyStatus } from './governance-policy.js';
export { CONDITION_VALID, invalidKey, withValidCondition, type SchemaIssues } from './valid.js';
export {
  CONDITION_INTERACTIONS_AGREED,
  interactionsCondition,
  interactionStatuses,
  waitingSince,
} from './interactions.js';
