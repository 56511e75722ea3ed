import { z } from 'zod';
import { withRules } from './cel.js';
import { dateTime, dns1123Label, dns1123Subdomain, text } from './formats.js';
import { groupKindSchema } from './group-kind.js';
import { AGE_COLUMN, defineKind } from './kind.js';
import { listMap, listSet } from './lists.js';
import { resourceSchema, statusFields } from './meta.js';
import { labelSelectorSchema, type LabelSelector } from './selector.js';
import { stampedUser, stampImmutable } from './stamps.js';
import { staysTrue } from './transitions.js';

/** Where an Exemption stands now; the controller derives it from the spec and the clock. */
export const EXEMPTION_STATES = ['PendingApproval', 'Active', 'Expired'] as const;
export type ExemptionState = (typeof EXEMPTION_STATES)[number];

/** `sha256:` and 64 lowercase hex digits. */
export const APPROVED_DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$';

/** A selector with at least one label or expression: an empty one selects everything. */
const SELECTS_SOMETHING_CEL =
  '((has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0) || (has(self.selector.matchExpressions) && size(self.selector.matchExpressions) > 0))';

function selectsSomething(selector: LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    (Object.keys(selector.matchLabels ?? {}).length > 0 ||
      (selector.matchExpressions ?? []).length > 0)
  );
}

/** Whether a scope is narrower than a whole namespace: a non-empty kinds, names or selector. */
export function isNarrowScope(scope: {
  readonly kinds?: readonly unknown[] | undefined;
  readonly names?: readonly unknown[] | undefined;
  readonly selector?: LabelSelector | undefined;
}): boolean {
  return (
    (scope.kinds ?? []).length > 0 ||
    (scope.names ?? []).length > 0 ||
    selectsSomething(scope.selector)
  );
}

export const exemptionScopeSchema = withRules(
  z
    .object({
      namespace: dns1123Label()
        .optional()
        .describe(
          "Namespace whose workloads are exempted. Unset: the Exemption's own namespace. Only Exemptions in the oos namespace may name another one.",
        ),
      kinds: listMap(groupKindSchema, ['group', 'kind'], 16)
        .optional()
        .describe('Kinds of workload exempted, e.g. {group: apps, kind: Deployment}.'),
      names: listSet(dns1123Subdomain(), 64)
        .optional()
        .describe('Names of the workloads exempted.'),
      selector: labelSelectorSchema.optional().describe('Labels of the workloads exempted.'),
    })
    .describe(
      'Which workloads the exemption covers: all that match every field set. Narrow it with kinds, names or a selector; to exempt a whole namespace use GovernancePolicy exemptNamespaces.',
    ),
  [
    {
      rule: `(has(self.kinds) && size(self.kinds) > 0) || (has(self.names) && size(self.names) > 0) || (has(self.selector) && ${SELECTS_SOMETHING_CEL})`,
      message:
        'an exemption must be narrow: set kinds, names or a selector with at least one label or expression (an empty selector selects everything; a whole namespace is exempted in the GovernancePolicy)',
      reason: 'FieldValueRequired',
      check: isNarrowScope,
    },
  ],
);

const exemptionSpecFields = z
  .object({
    scope: exemptionScopeSchema,
    capability: dns1123Label()
      .optional()
      .describe(
        'The Capability whose rules are set aside, if any. A current holder of its accountable role (or a governance admin) approves.',
      ),
    justification: text(2048).describe('Why the break-glass is needed.'),
    expiresAt: dateTime().describe(
      'When the exemption ends (RFC 3339). Required: at most the GovernancePolicy maxExemption (default 30d) away.',
    ),
    requestedBy: stampedUser('requested the exemption'),
    approved: withRules(z.boolean(), [staysTrue('approved')])
      .default(false)
      .describe(
        'Set to true by the approver: a person other than the requester who currently holds the accountable role of the capability, or a governance admin. Unapproved exemptions have no effect.',
      ),
    approvedBy: stampedUser('approved the exemption'),
    approvedDigest: withRules(z.string().max(71), [
      {
        rule: `self.matches('${APPROVED_DIGEST_PATTERN}')`,
        message: 'must be sha256: followed by 64 lowercase hexadecimal digits',
        check: (digest) => new RegExp(APPROVED_DIGEST_PATTERN).test(digest),
      },
    ])
      .optional()
      .describe(
        'Set by the approver together with approved: true: the digest (sha256:...) of the content they reviewed (scope, capability, justification, expiresAt). The approval counts only while it matches the content; oos admission tells the digest of the stored content when an approval lacks it. Immutable once set.',
      ),
  })
  .describe('A time-bound, scoped, approved break-glass.');

const WAS_APPROVED = 'has(oldSelf.approved) && oldSelf.approved';

export const exemptionSpecSchema = withRules(exemptionSpecFields, [
  {
    rule: '!has(self.approvedBy) || !has(self.requestedBy) || self.approvedBy != self.requestedBy',
    message:
      'approvedBy must be a different person from requestedBy: no one approves their own exemption',
    fieldPath: '.approvedBy',
    reason: 'FieldValueForbidden',
    check: (spec) =>
      spec.approvedBy === undefined ||
      spec.requestedBy === undefined ||
      spec.approvedBy !== spec.requestedBy,
  },
  {
    rule: '!has(self.approvedBy) || self.approved',
    message: 'approvedBy is only set on an approved exemption',
    fieldPath: '.approvedBy',
    reason: 'FieldValueForbidden',
    check: (spec) => spec.approvedBy === undefined || spec.approved,
  },
  {
    rule: `!(${WAS_APPROVED}) || (self.scope == oldSelf.scope && self.justification == oldSelf.justification && has(self.capability) == has(oldSelf.capability) && (!has(self.capability) || self.capability == oldSelf.capability))`,
    message:
      'an approved exemption cannot change its scope, capability or justification: create a new Exemption',
    reason: 'FieldValueForbidden',
  },
  {
    rule: `!(${WAS_APPROVED}) || self.expiresAt <= oldSelf.expiresAt`,
    message: 'an approved exemption cannot be extended: create a new Exemption',
    fieldPath: '.expiresAt',
    reason: 'FieldValueForbidden',
  },
  {
    rule: '!has(self.approvedDigest) || self.approved',
    message: 'approvedDigest is only set on an approved exemption',
    fieldPath: '.approvedDigest',
    reason: 'FieldValueForbidden',
    check: (spec) => spec.approvedDigest === undefined || spec.approved,
  },
  {
    rule: '!has(oldSelf.approvedDigest) || (has(self.approvedDigest) && self.approvedDigest == oldSelf.approvedDigest)',
    message: 'approvedDigest records what was approved and cannot change once set',
    fieldPath: '.approvedDigest',
    reason: 'FieldValueForbidden',
  },
  stampImmutable('requestedBy'),
  stampImmutable('approvedBy'),
]);

export const exemptionStatusSchema = z
  .object({
    ...statusFields,
    state: z
      .enum(EXEMPTION_STATES)
      .optional()
      .describe('Where the exemption stands: PendingApproval, Active or Expired.'),
  })
  .describe('Observed state of the exemption, written by the oos controller.');

export const exemptionSchema = resourceSchema(
  'Exemption',
  exemptionSpecSchema,
  exemptionStatusSchema,
  'Exemption is the break-glass, made accountable: it lets workloads that fail the accountability chain run anyway, within a scope, until expiresAt, once a person other than the requester approves it.',
);

export type ExemptionScope = z.output<typeof exemptionScopeSchema>;
export type ExemptionSpec = z.output<typeof exemptionSpecSchema>;
export type ExemptionStatus = z.output<typeof exemptionStatusSchema>;
export type Exemption = z.output<typeof exemptionSchema>;

export const exemptionKind = defineKind({
  kind: 'Exemption',
  plural: 'exemptions',
  shortNames: ['exm'],
  scope: 'Namespaced',
  schema: exemptionSchema,
  selectableFields: ['.spec.capability'],
  printerColumns: [
    {
      name: 'Capability',
      type: 'string',
      jsonPath: '.spec.capability',
      description: 'The capability concerned.',
    },
    {
      name: 'Requested By',
      type: 'string',
      jsonPath: '.spec.requestedBy',
      description: 'Who asked.',
      priority: 1,
    },
    {
      name: 'Approved By',
      type: 'string',
      jsonPath: '.spec.approvedBy',
      description: 'Who approved.',
    },
    {
      name: 'Expires',
      type: 'string',
      jsonPath: '.spec.expiresAt',
      description: 'End of the exemption.',
    },
    {
      name: 'State',
      type: 'string',
      jsonPath: '.status.state',
      description: 'PendingApproval, Active or Expired.',
    },
    AGE_COLUMN,
  ],
});
