import { z } from 'zod';

/** Why an Escalation is opened: the situations in which humans must be pulled in. */
export const ESCALATION_TRIGGERS = [
  'AccountabilityVacant',
  'AttestationExpiring',
  'DelegationExpiring',
  'DelegationExpired',
  'UnanchoredWorkload',
  'CapabilitySuspended',
  'BoundaryViolation',
  'ExemptionExpired',
  'ExemptAIWorkload',
  'InteractionPending',
  'NetworkPolicyTampered',
] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

/** Triggers that fire ahead of a deadline and so take a `leadTime`. */
export const LEAD_TIME_TRIGGERS = [
  'AttestationExpiring',
  'DelegationExpiring',
] as const satisfies readonly EscalationTrigger[];

/** Lead time of a {@link LEAD_TIME_TRIGGERS} trigger that does not set one. */
export const DEFAULT_LEAD_TIME = '14d';

/** How urgent an escalation is, from least to most. */
export const SEVERITIES = ['Info', 'Warning', 'Critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const escalationTriggerSchema = z
  .enum(ESCALATION_TRIGGERS)
  .describe(
    'What happened: AccountabilityVacant (a role has no current holder), AttestationExpiring, DelegationExpiring, DelegationExpired, UnanchoredWorkload (an AI workload runs without a capability), CapabilitySuspended (workloads still run), BoundaryViolation, ExemptionExpired, ExemptAIWorkload (an AI workload runs in an exempt namespace, admitted without a chain: Info, so it is never invisible), InteractionPending (one side of an interaction has waited longer than coordination.maxPending of the GovernancePolicy for the other; routed to the side that must answer) or NetworkPolicyTampered (someone else changed or deleted a NetworkPolicy oos owns, and oos wrote it back).',
  );

export const severitySchema = z.enum(SEVERITIES).describe('How urgent: Info, Warning or Critical.');
