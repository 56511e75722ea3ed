/** The plan of one round of the controller, pure: what every writer should make true. */
export {
  capabilityChangesAt,
  delegationChangesAt,
  episodeChangesAt,
  exemptionChangesAt,
  roleChangesAt,
} from './clocks.js';
export { LabelCounts, NamespaceMetrics, RoundMetrics } from './metrics.js';
export {
  planRound,
  planRoundSteps,
  stopId,
  type InvalidInput,
  type PlannedStatus,
  type PlannedStop,
  type RoundInput,
  type RoundPlan,
} from './round.js';
export { STATUS_KINDS, type StatusInputs, type StatusKind, type StatusObject } from './statuses.js';
