import { z } from 'zod';
import { withRules } from './cel.js';
import { MAX_ESCALATION_LEVELS, MAX_ROLES_PER_LEVEL } from './escalation-policy.js';
import { dateTime, dns1123Label, dns1123Subdomain, text } from './formats.js';
import { AGE_COLUMN, defineKind } from './kind.js';
import { listSet } from './lists.js';
import { resourceSchema, statusFields } from './meta.js';
import { objectReferenceSchema } from './object-reference.js';
import { stampedUser, stampImmutable } from './stamps.js';
import { immutable, staysTrue } from './transitions.js';
import { escalationTriggerSchema, severitySchema } from './triggers.js';

/** The condition the controller sets True once the cause of an escalation is gone. */
export const CONDITION_RESOLVED = 'Resolved';

const escalationSpecFields = z
  .object({
    trigger: withRules(escalationTriggerSchema, [
      immutable('trigger', 'an escalation records one trigger'),
    ]),
    severity: severitySchema,
    subject: withRules(objectReferenceSchema, [
      immutable('subject', 'an escalation records one subject'),
    ]).describe('The object the escalation is about, e.g. a Delegation or a Deployment.'),
    capability: dns1123Label().optional().describe('The Capability concerned, when there is one.'),
    accountableRole: dns1123Subdomain()
      .optional()
      .describe('The AccountableRole that answers for the subject, when there is one.'),
    policy: dns1123Subdomain()
      .optional()
      .describe('The EscalationPolicy in this namespace that routes the escalation.'),
    summary: text(1024).describe('What is wrong and how to fix it, in one sentence.'),
    acknowledged: withRules(z.boolean(), [staysTrue('acknowledged')])
      .default(false)
      .describe(
        'Set to true by a person to acknowledge the escalation, which stops it from climbing further levels. A notified role holder, a holder of the accountable role or a governance admin may acknowledge.',
      ),
    acknowledgedBy: stampedUser('acknowledged the escalation'),
    acknowledgementNote: text(1024)
      .optional()
      .describe('What the person acknowledging intends to do.'),
  })
  .describe('What happened, to which object, and who has acknowledged it.');

/**
 * The fields that decide who answers for an escalation and who may acknowledge it: set by the
 * controller when it opens the escalation, never changed afterwards (not even added or removed).
 */
export const ESCALATION_IDENTIFYING_FIELDS = ['capability', 'accountableRole', 'policy'] as const;

const keepsField = (field: string): string =>
  `has(self.${field}) == has(oldSelf.${field}) && (!has(self.${field}) || self.${field} == oldSelf.${field})`;

export const escalationSpecSchema = withRules(escalationSpecFields, [
  {
    rule: ESCALATION_IDENTIFYING_FIELDS.map(keepsField).join(' && '),
    message:
      'capability, accountableRole and policy are immutable: they decide who answers for the escalation and who may acknowledge it',
    reason: 'FieldValueForbidden',
  },
  {
    rule: '!has(self.acknowledgedBy) || self.acknowledged',
    message: 'acknowledgedBy is only set on an acknowledged escalation',
    fieldPath: '.acknowledgedBy',
    reason: 'FieldValueForbidden',
    check: (spec) => spec.acknowledgedBy === undefined || spec.acknowledged,
  },
  stampImmutable('acknowledgedBy'),
]);

export const escalationStatusSchema = z
  .object({
    ...statusFields,
    level: z
      .int()
      .min(0)
      .max(MAX_ESCALATION_LEVELS)
      .optional()
      .describe('The highest level notified so far (1 is the first level; 0 none yet).'),
    notifiedRoles: listSet(dns1123Subdomain(), MAX_ESCALATION_LEVELS * MAX_ROLES_PER_LEVEL + 1)
      .optional()
      .describe('AccountableRoles notified so far.'),
    lastNotifiedAt: dateTime().optional().describe('When a level was last notified.'),
    resolvedAt: dateTime().optional().describe('When the cause was found gone.'),
  })
  .describe('Observed state of the escalation, written by the oos controller.');

export const escalationSchema = resourceSchema(
  'Escalation',
  escalationSpecSchema,
  escalationStatusSchema,
  'Escalation records one trigger about one subject, when humans must be pulled in. The oos controller opens it (named after trigger and subject, so it is never duplicated), climbs the levels of its EscalationPolicy until a person acknowledges it, and resolves it when the cause is gone. Escalations are evidence: they are kept after resolution.',
);

export type EscalationSpec = z.output<typeof escalationSpecSchema>;
export type EscalationStatus = z.output<typeof escalationStatusSchema>;
export type Escalation = z.output<typeof escalationSchema>;

export const escalationKind = defineKind({
  kind: 'Escalation',
  plural: 'escalations',
  shortNames: ['esc'],
  scope: 'Namespaced',
  schema: escalationSchema,
  selectableFields: ['.spec.trigger', '.spec.capability', '.spec.severity'],
  printerColumns: [
    { name: 'Trigger', type: 'string', jsonPath: '.spec.trigger', description: 'What happened.' },
    {
      name: 'Subject',
      type: 'string',
      jsonPath: '.spec.subject.name',
      description: 'The object concerned.',
    },
    {
      name: 'Severity',
      type: 'string',
      jsonPath: '.spec.severity',
      description: 'Info, Warning or Critical.',
    },
    {
      name: 'Level',
      type: 'integer',
      jsonPath: '.status.level',
      description: 'Highest level notified.',
    },
    {
      name: 'Acknowledged By',
      type: 'string',
      jsonPath: '.spec.acknowledgedBy',
      description: 'Who acknowledged it.',
    },
    {
      name: 'Resolved',
      type: 'string',
      jsonPath: `.status.conditions[?(@.type=="${CONDITION_RESOLVED}")].status`,
      description: 'Whether the cause is gone.',
    },
    AGE_COLUMN,
  ],
});
