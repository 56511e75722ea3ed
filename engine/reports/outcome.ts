import type { RiskTier } from '../../api/index.js';
import type { ReasonCode } from '../reasons.js';
import type { ReportOutcome, ReportSeverity } from './openreports.js';

/** `policy` of the results about AI workloads: the anchor chain (docs/rules.md, "The anchor chain"). */
export const POLICY_ANCHOR_CHAIN = 'anchor-chain';
/** `policy` of the results about AccountableRoles (the ClusterReport). */
export const POLICY_ACCOUNTABLE_ROLES = 'accountable-roles';

/** The step of engine/chain that decides each reason (the step's file name), and its outcome. */
export const CHAIN_OUTCOMES: Readonly<
  Partial<Record<ReasonCode, { readonly rule: string; readonly result: ReportOutcome }>>
> = {
  Exempted: { rule: 'exemption', result: 'skip' },
  AnchorMissing: { rule: 'anchor', result: 'fail' },
  CapabilityNotFound: { rule: 'capability', result: 'fail' },
  CapabilitySuspended: { rule: 'suspended', result: 'fail' },
  AccountableRoleNotFound: { rule: 'role', result: 'fail' },
  AccountabilityVacant: { rule: 'holders', result: 'fail' },
  DelegationMissing: { rule: 'delegation', result: 'fail' },
  DelegationExpired: { rule: 'delegation', result: 'fail' },
  DelegationNotYetValid: { rule: 'delegation', result: 'fail' },
  DelegationRevoked: { rule: 'delegation', result: 'fail' },
  BoundaryViolation: { rule: 'boundaries', result: 'fail' },
  Anchored: { rule: 'anchored', result: 'pass' },
};

/** A workload oos could not judge (unreadable, too complex): `error`, never a pass. */
const UNJUDGED = { rule: 'read', result: 'error' } as const;

/** The rule and outcome of a reason; an exempt namespace is its own rule. */
export function outcomeOf(
  reason: ReasonCode,
  exemptedBy?: 'ExemptNamespace' | 'Exemption',
): { readonly rule: string; readonly result: ReportOutcome } {
  if (exemptedBy === 'ExemptNamespace') return { rule: 'exempt-namespace', result: 'skip' };
  return CHAIN_OUTCOMES[reason] ?? UNJUDGED;
}

const TIER_SEVERITY: Readonly<Record<RiskTier, ReportSeverity>> = {
  High: 'high',
  Limited: 'medium',
  Minimal: 'low',
};

/** The severity of a result from the capability's risk tier; unknown: `high` (fail closed). */
export function severityOf(tier: RiskTier | undefined): ReportSeverity {
  return tier === undefined ? 'high' : TIER_SEVERITY[tier];
}
