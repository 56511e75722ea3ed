/** Escalations, pure: which should be open at `now`, their names, levels and resolution. */
export {
  AUDIT_IDENTITY,
  auditWorkload,
  countByCapability,
  findingMessage,
  isAnchored,
  type Finding,
  type UnderlyingVerdict,
} from './audit.js';
export {
  capabilityTriggers,
  delegationTrigger,
  escalationCauses,
  escalationTriggers,
  exemptionTrigger,
  findingsByCapability,
  findingTrigger,
  nextAfter,
  roleTrigger,
  suspendedTrigger,
  uniqueCauses,
  type Cause,
  type Triggered,
} from './causes.js';
export {
  CONDITION_ACKNOWLEDGED,
  isResolved,
  levelRoles,
  openedAt,
  planEpisode,
  type EpisodePlan,
  type RaisedLevel,
} from './episode.js';
export { dueLevels, escalationLevel, nextLevelAt } from './level.js';
export {
  episodeName,
  escalationBaseName,
  escalationKey,
  fnv1a64,
  kebab,
  LABEL_ESCALATION_EPISODE,
  LABEL_ESCALATION_KEY,
  LABEL_MANAGED_BY,
  MANAGED_BY_OOS,
  managedKey,
  type EscalationIdentity,
} from './name.js';
export {
  BUILT_IN_ROUTING,
  DEFAULT_POLICY_NAME,
  DEFAULT_SEVERITIES,
  leadTimeMs,
  routingByName,
  routingFor,
  routingOf,
  type ResolvedLevel,
  type Routing,
  type TriggerRouting,
} from './routing.js';
export { trustEpisode, type EpisodeMemory, type TrustedEpisode, type TrustInput } from './trust.js';
export {
  pendingByPair,
  pendingTrigger,
  TAMPER_WINDOW_MS,
  tamperTrigger,
  type CapabilityRef,
  type PendingInteraction,
  type Tampering,
} from './interactions.js';
