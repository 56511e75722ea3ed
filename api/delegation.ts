import { parseApiDateTime } from './date-time.js';
import { z } from 'zod';
import { withRules } from './cel.js';
import { dateTime, dns1123Label, dns1123Subdomain, text } from './formats.js';
import { AGE_COLUMN, defineKind } from './kind.js';
import { resourceSchema, statusFields } from './meta.js';
import { stampedUser, stampImmutable } from './stamps.js';
import { immutable, staysTrue } from './transitions.js';

/** Where a Delegation stands now; the controller derives it from the spec and the clock. */
export const DELEGATION_STATES = ['NotYetValid', 'Active', 'Expired', 'Revoked'] as const;
export type DelegationState = (typeof DELEGATION_STATES)[number];

const delegationSpecFields = z
  .object({
    capability: withRules(dns1123Label(), [
      immutable('capability', 'create a new Delegation for another capability'),
    ]).describe('Name of the Capability in this namespace whose execution is delegated.'),
    serviceAccount: withRules(dns1123Subdomain(), [
      immutable('serviceAccount', 'create a new Delegation for another ServiceAccount'),
    ]).describe('Name of the ServiceAccount in this namespace that may execute the capability.'),
    validFrom: dateTime()
      .optional()
      .describe('When the delegation starts (RFC 3339). Unset: from creation.'),
    validUntil: withRules(dateTime(), [
      {
        rule: 'self <= oldSelf',
        message:
          'validUntil cannot be extended: a longer delegation needs a new grant, create a new Delegation',
        reason: 'FieldValueForbidden',
      },
    ]).describe(
      'When the delegation ends (RFC 3339). Required: execution is only ever delegated for a bounded time, at most the GovernancePolicy maxDelegation (default 90d) after validFrom. It may be shortened, never extended.',
    ),
    justification: text(2048).describe('Why this execution identity needs the capability.'),
    grantedBy: stampedUser(
      'granted the delegation, a current holder of the accountable role of the capability',
    ),
    revoked: withRules(z.boolean(), [staysTrue('revoked')])
      .default(false)
      .describe('True ends the delegation now, for good.'),
  })
  .describe(
    'Execution of one capability delegated to one ServiceAccount for a bounded time. Accountability stays with the role.',
  );

export const delegationSpecSchema = withRules(delegationSpecFields, [
  {
    rule: '!has(self.validFrom) || self.validUntil > self.validFrom',
    message: 'validUntil must be after validFrom',
    fieldPath: '.validUntil',
    check: (spec) =>
      spec.validFrom === undefined ||
      (parseApiDateTime(spec.validUntil) ?? NaN) > (parseApiDateTime(spec.validFrom) ?? NaN),
  },
  stampImmutable('grantedBy'),
]);

export const delegationStatusSchema = z
  .object({
    ...statusFields,
    state: z
      .enum(DELEGATION_STATES)
      .optional()
      .describe('Where the delegation stands: NotYetValid, Active, Expired or Revoked.'),
  })
  .describe('Observed state of the delegation, written by the oos controller.');

export const delegationSchema = resourceSchema(
  'Delegation',
  delegationSpecSchema,
  delegationStatusSchema,
  'Delegation formalises how execution is delegated: a current holder of the accountable role of a capability lets one ServiceAccount execute that capability until validUntil. A machine never grants execution, and no one delegates accountability.',
);

export type DelegationSpec = z.output<typeof delegationSpecSchema>;
export type DelegationStatus = z.output<typeof delegationStatusSchema>;
export type Delegation = z.output<typeof delegationSchema>;

export const delegationKind = defineKind({
  kind: 'Delegation',
  plural: 'delegations',
  shortNames: ['dlg'],
  scope: 'Namespaced',
  schema: delegationSchema,
  selectableFields: ['.spec.capability', '.spec.serviceAccount'],
  printerColumns: [
    {
      name: 'Capability',
      type: 'string',
      jsonPath: '.spec.capability',
      description: 'The delegated capability.',
    },
    {
      name: 'Service Account',
      type: 'string',
      jsonPath: '.spec.serviceAccount',
      description: 'The execution identity.',
    },
    {
      name: 'Expires',
      type: 'string',
      jsonPath: '.spec.validUntil',
      description: 'End of the delegation.',
    },
    {
      name: 'State',
      type: 'string',
      jsonPath: '.status.state',
      description: 'NotYetValid, Active, Expired or Revoked.',
    },
    {
      name: 'Granted By',
      type: 'string',
      jsonPath: '.spec.grantedBy',
      description: 'Who granted it.',
      priority: 1,
    },
    AGE_COLUMN,
  ],
});
