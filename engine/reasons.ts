/**
 * The reason codes of every Decision: stable API (dashboards, alerts and people's runbooks key on
 * them). Add codes; never rename or remove one. docs/rules.md explains each.
 */
export const REASON_CODES = [
  // AI workloads: the anchor chain (engine/chain/), in the order the chain checks them.
  'NotAIWorkload',
  'Exempted',
  'AnchorMissing',
  'CapabilityNotFound',
  'CapabilitySuspended',
  'AccountableRoleNotFound',
  'AccountabilityVacant',
  'DelegationMissing',
  'DelegationExpired',
  'DelegationNotYetValid',
  'DelegationRevoked',
  'BoundaryViolation',
  'Anchored',
  // Changes to the oos kinds themselves: who may change governance.
  'Authorized',
  'NotHuman',
  'NotRoleHolder',
  'SelfApproval',
  'HolderNotHuman',
  'StampForged',
  'StampMissing',
  'DelegationTooLong',
  'ExemptionTooLong',
  'ExemptionOutOfScope',
  'NotGovernanceAdmin',
  'SelfAppointment',
  'ApprovalNotBound',
  'IdentifyingFieldChanged',
  // Evidence and the labels that choose enforcement.
  'StatusNotOwned',
  'EvidenceRetained',
  'NamespaceLabelGoverned',
  'RecordNotOwned',
  // The coordination layer: interactions declared on Capabilities, and NetworkPolicies.
  'InteractionForbidden',
  'EndpointNotFound',
  'PostureNotAllowed',
  'NetworkPolicyWidensCapability',
  'ManagedByOos',
  // Either.
  'NotGoverned',
  'InvalidObject',
  // Workloads, whatever the enforcement mode: the state oos keeps on them, and scale requests.
  'StateForged',
  'ScaleTargetUnknown',
  // Workloads: a reading limit was reached (oos never answers "no signal" for what it did not read).
  'ObjectTooComplex',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * Reasons of a workload that fails the anchor chain, what the enforcement mode acts on: the chain
 * codes above from AnchorMissing through BoundaryViolation, so a new chain step is never missed.
 */
export const CHAIN_FAILURES: ReadonlySet<ReasonCode> = new Set<ReasonCode>(
  REASON_CODES.slice(REASON_CODES.indexOf('AnchorMissing'), REASON_CODES.indexOf('Anchored')),
);
