import { z } from 'zod';
import { celList, withRules } from './cel.js';
import { dns1123Subdomain, duration, positiveDuration } from './formats.js';
import { AGE_COLUMN, defineKind, READY_COLUMN } from './kind.js';
import { listMap, listSet } from './lists.js';
import { resourceSchema, statusFields } from './meta.js';
import {
  escalationTriggerSchema,
  LEAD_TIME_TRIGGERS,
  severitySchema,
  type EscalationTrigger,
} from './triggers.js';

/** How long resolved Escalations are kept as evidence unless a policy says otherwise. */
export const DEFAULT_ESCALATION_RETENTION = '180d';

/** The longest escalation ladder. */
export const MAX_ESCALATION_LEVELS = 5;

/** The most roles one level notifies. */
export const MAX_ROLES_PER_LEVEL = 8;

const leadTimeTriggers: readonly EscalationTrigger[] = LEAD_TIME_TRIGGERS;

export const triggerRuleSchema = withRules(
  z
    .object({
      type: escalationTriggerSchema,
      severity: severitySchema,
      leadTime: positiveDuration()
        .optional()
        .describe(
          'For AttestationExpiring and DelegationExpiring: how long before the deadline to open the escalation (default 14d).',
        ),
    })
    .describe('A trigger that matters to this policy and how severe it is.'),
  [
    {
      rule: `!has(self.leadTime) || self.type in ${celList(LEAD_TIME_TRIGGERS)}`,
      message: `leadTime applies only to ${LEAD_TIME_TRIGGERS.join(' and ')} triggers`,
      fieldPath: '.leadTime',
      reason: 'FieldValueForbidden',
      check: (trigger) => trigger.leadTime === undefined || leadTimeTriggers.includes(trigger.type),
    },
  ],
);

export const escalationLevelSchema = withRules(
  z
    .object({
      after: duration().describe(
        'How long the escalation must stay unacknowledged before this level is notified, counted from when it opened (0s: at once).',
      ),
      roles: listSet(dns1123Subdomain(), MAX_ROLES_PER_LEVEL)
        .optional()
        .describe('AccountableRoles whose current holders are notified at this level.'),
      notifyAccountableRole: z
        .boolean()
        .default(false)
        .describe('Also notify the accountable role of the capability concerned.'),
    })
    .describe('One step of the escalation ladder.'),
  [
    {
      rule: '(has(self.roles) && size(self.roles) > 0) || (has(self.notifyAccountableRole) && self.notifyAccountableRole)',
      message: 'a level must notify someone: list roles or set notifyAccountableRole',
      fieldPath: '.roles',
      reason: 'FieldValueRequired',
      check: (level) => (level.roles?.length ?? 0) > 0 || level.notifyAccountableRole,
    },
  ],
);

export const escalationPolicySpecSchema = z
  .object({
    triggers: listMap(triggerRuleSchema, ['type'], 8, 1).describe(
      'The triggers this policy handles, at most one entry per type.',
    ),
    levels: z
      .array(escalationLevelSchema)
      .min(1)
      .max(MAX_ESCALATION_LEVELS)
      .describe(
        'The escalation ladder: each level is notified once the escalation has stayed unacknowledged for its after.',
      ),
    retention: positiveDuration()
      .default(DEFAULT_ESCALATION_RETENTION)
      .describe('How long resolved Escalations are kept as evidence.'),
  })
  .describe('When escalation must occur and where it routes.');

export const escalationPolicyStatusSchema = z
  .object({ ...statusFields })
  .describe('Observed state of the policy, written by the oos controller.');

export const escalationPolicySchema = resourceSchema(
  'EscalationPolicy',
  escalationPolicySpecSchema,
  escalationPolicyStatusSchema,
  'EscalationPolicy says which triggers matter in a namespace, how severe they are, and which roles are notified while an Escalation stays unacknowledged. Capabilities name it in spec.escalationPolicy.',
);

export type TriggerRule = z.output<typeof triggerRuleSchema>;
export type EscalationLevel = z.output<typeof escalationLevelSchema>;
export type EscalationPolicySpec = z.output<typeof escalationPolicySpecSchema>;
export type EscalationPolicyStatus = z.output<typeof escalationPolicyStatusSchema>;
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;

export const escalationPolicyKind = defineKind({
  kind: 'EscalationPolicy',
  plural: 'escalationpolicies',
  shortNames: ['escpol'],
  scope: 'Namespaced',
  schema: escalationPolicySchema,
  printerColumns: [
    {
      name: 'Retention',
      type: 'string',
      jsonPath: '.spec.retention',
      description: 'How long resolved escalations are kept.',
    },
    READY_COLUMN,
    AGE_COLUMN,
  ],
});
