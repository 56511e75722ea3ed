import { z } from 'zod';
import { celString, withRules } from './cel.js';
import {
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_LABEL_PATTERN,
  dns1123Subdomain,
  glob,
  text,
} from './formats.js';
import { interactionsSchema, interactionStatusSchema } from './interactions.js';
import { AGE_COLUMN, defineKind, READY_COLUMN } from './kind.js';
import { LABEL_CAPABILITY } from './labels.js';
import { listMap, listSet } from './lists.js';
import { nameRule, resourceSchema, statusFields } from './meta.js';
import { stampedUser, stampImmutable } from './stamps.js';

/**
 * How much the AI does on its own: `Autonomous` executes without per-action approval,
 * `Supervised` executes while a human approves designated actions, `Advisory` only recommends.
 */
export const AUTONOMY_LEVELS = ['Autonomous', 'Supervised', 'Advisory'] as const;
export type Autonomy = (typeof AUTONOMY_LEVELS)[number];

/** Risk tiers, after the EU AI Act's minimal / limited / high risk. */
export const RISK_TIERS = ['Minimal', 'Limited', 'High'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/** What the stop button does to running workloads: scale them to zero, or only refuse new ones. */
export const STOP_ACTIONS = ['ScaleToZero', 'DenyNew'] as const;
export type StopAction = (typeof STOP_ACTIONS)[number];

export const DEFAULT_STOP_ACTION: StopAction = 'ScaleToZero';

export const boundariesSchema = z
  .object({
    allowedImages: listSet(glob(512), 32)
      .optional()
      .describe(
        'Container images the capability may run, as globs over the full reference (e.g. registry.example.com/risk/*). Unset allows any image.',
      ),
    maxReplicas: z
      .int()
      .min(1)
      .max(10000)
      .optional()
      .describe('Most replicas any one workload of the capability may ask for. Unset: no limit.'),
    maxAcceleratorsPerPod: z
      .int()
      .min(0)
      .max(1024)
      .optional()
      .describe(
        'Most accelerators (GPUs, TPUs, ...) one pod may request, all accelerator resources counted together. 0 forbids accelerators. Unset: no limit.',
      ),
  })
  .describe('Process boundaries: what workloads of the capability may run and how big.');

/** While a capability stays suspended (CEL over self and oldSelf), suspendedBy stays as stamped. */
const SUSPENDED_STATE = {
  condition: 'has(oldSelf.suspend) && oldSelf.suspend && has(self.suspend) && self.suspend',
  description: 'while the capability stays suspended',
};

/** While a capability stays resumed, resumedBy stays as stamped. */
const RESUMED_STATE = {
  condition: '!(has(oldSelf.suspend) && oldSelf.suspend) && !(has(self.suspend) && self.suspend)',
  description: 'while the capability stays resumed',
};

const capabilitySpecFields = z
  .object({
    description: text(2048).describe('What the AI system does, in one or two sentences.'),
    intendedUse: text(2048).describe(
      'The purpose it is meant for and the decisions it may influence; uses outside it are not covered.',
    ),
    accountableRole: dns1123Subdomain().describe(
      'Name of the AccountableRole whose holders answer for this capability. Only a current holder of that role, or a governance admin, may assign it.',
    ),
    autonomy: z
      .enum(AUTONOMY_LEVELS)
      .describe(
        'How much the AI does on its own: Autonomous (executes without per-action approval), Supervised (executes, a human approves designated actions) or Advisory (recommends only, humans execute). High risk never pairs with Autonomous.',
      ),
    riskTier: z
      .enum(RISK_TIERS)
      .describe(
        'Risk of the use: Minimal, Limited or High. High requires Delegations and forbids Autonomous.',
      ),
    boundaries: boundariesSchema.optional(),
    delegationRequired: z
      .boolean()
      .default(true)
      .describe(
        'Whether workloads must run as a ServiceAccount holding an active Delegation of this capability. Always true for High risk.',
      ),
    escalationPolicy: dns1123Subdomain()
      .optional()
      .describe(
        'Name of the EscalationPolicy in this namespace that routes escalations about this capability.',
      ),
    interactions: interactionsSchema.optional(),
    suspend: z
      .boolean()
      .default(false)
      .describe(
        'The human stop button: true stops the capability (see stopAction). Anyone RBAC allows may suspend; resuming needs a current holder of the accountable role or a governance admin.',
      ),
    stopAction: z
      .enum(STOP_ACTIONS)
      .default(DEFAULT_STOP_ACTION)
      .describe(
        'What suspend does: ScaleToZero (scale running workloads to zero and refuse new ones) or DenyNew (refuse new workloads, leave running ones).',
      ),
    suspendReason: text(1024).optional().describe('Why the capability was suspended.'),
    suspendedBy: stampedUser('last suspended the capability', SUSPENDED_STATE.description),
    resumedBy: stampedUser('last resumed the capability', RESUMED_STATE.description),
  })
  .describe('What an AI system may do, and under whose accountability.');

export const capabilitySpecSchema = withRules(capabilitySpecFields, [
  {
    rule: "!(self.riskTier == 'High' && self.autonomy == 'Autonomous')",
    message: 'riskTier High never pairs with autonomy Autonomous: choose Supervised or Advisory',
    fieldPath: '.autonomy',
    reason: 'FieldValueForbidden',
    check: (spec) => !(spec.riskTier === 'High' && spec.autonomy === 'Autonomous'),
  },
  {
    rule: "self.riskTier != 'High' || !has(self.delegationRequired) || self.delegationRequired",
    message: 'riskTier High always requires a Delegation: delegationRequired cannot be false',
    fieldPath: '.delegationRequired',
    reason: 'FieldValueForbidden',
    check: (spec) => spec.riskTier !== 'High' || spec.delegationRequired,
  },
  stampImmutable('suspendedBy', SUSPENDED_STATE),
  stampImmutable('resumedBy', RESUMED_STATE),
]);

export const capabilityStatusSchema = z
  .object({
    ...statusFields,
    workloads: z
      .int()
      .min(0)
      .optional()
      .describe(
        `How many running workloads carry the ${LABEL_CAPABILITY} label of this capability.`,
      ),
    activeDelegations: z
      .int()
      .min(0)
      .optional()
      .describe('How many Delegations of this capability are active now.'),
    interactions: listMap(interactionStatusSchema, ['direction', 'peer'], 256)
      .optional()
      .describe('Every interaction the capability declares, and how it stands.'),
  })
  .describe('Observed state of the capability, written by the oos controller.');

const labelName = new RegExp(DNS1123_LABEL_PATTERN);

export const capabilitySchema = withRules(
  resourceSchema(
    'Capability',
    capabilitySpecSchema,
    capabilityStatusSchema,
    `Capability is the modular unit of AI execution: what an AI system may do, under whose accountability, within which boundaries. Workloads join it with the label ${LABEL_CAPABILITY}: <name>.`,
  ),
  [
    nameRule(
      `self.metadata.name.size() <= ${DNS1123_LABEL_MAX_LENGTH} && self.metadata.name.matches(${celString(DNS1123_LABEL_PATTERN)})`,
      `must be a DNS-1123 label (at most 63 characters, no dots): workloads carry the name of their Capability as the value of the ${LABEL_CAPABILITY} label`,
      (name) => name.length <= DNS1123_LABEL_MAX_LENGTH && labelName.test(name),
    ),
  ],
);

export type Boundaries = z.output<typeof boundariesSchema>;
export type CapabilitySpec = z.output<typeof capabilitySpecSchema>;
export type CapabilityStatus = z.output<typeof capabilityStatusSchema>;
export type Capability = z.output<typeof capabilitySchema>;

export const capabilityKind = defineKind({
  kind: 'Capability',
  plural: 'capabilities',
  shortNames: ['cap'],
  scope: 'Namespaced',
  schema: capabilitySchema,
  selectableFields: ['.spec.accountableRole', '.spec.riskTier'],
  printerColumns: [
    {
      name: 'Role',
      type: 'string',
      jsonPath: '.spec.accountableRole',
      description: 'The AccountableRole.',
    },
    {
      name: 'Autonomy',
      type: 'string',
      jsonPath: '.spec.autonomy',
      description: 'Autonomous, Supervised or Advisory.',
    },
    {
      name: 'Risk',
      type: 'string',
      jsonPath: '.spec.riskTier',
      description: 'Minimal, Limited or High.',
    },
    {
      name: 'Suspended',
      type: 'boolean',
      jsonPath: '.spec.suspend',
      description: 'The stop button.',
    },
    READY_COLUMN,
    {
      name: 'Workloads',
      type: 'integer',
      jsonPath: '.status.workloads',
      description: 'Running workloads anchored to the capability.',
    },
    AGE_COLUMN,
  ],
});
