import { z } from 'zod';
import { celList, withRules } from './cel.js';
import {
  DEFAULT_ACCELERATOR_DEVICE_CLASSES,
  DEFAULT_ACCELERATOR_RESOURCES,
  DEFAULT_AI_IMAGE_PATTERNS,
  DEFAULT_AI_KINDS,
  DEFAULT_AI_LABELS,
  DEFAULT_CREDENTIAL_ENV_VARS,
  DEFAULT_CREDENTIAL_SOURCE_NAMES,
} from './detection.js';
import {
  dns1123Label,
  glob,
  groupName,
  humanUsername,
  positiveDuration,
  username,
} from './formats.js';
import { coordinationSchema } from './coordination.js';
import { deepFreeze } from './freeze.js';
import { groupKindSchema } from './group-kind.js';
import { AGE_COLUMN, defineKind, READY_COLUMN } from './kind.js';
import { listMap, listSet } from './lists.js';
import { nameRule, resourceSchema, statusFields } from './meta.js';
import { labelSelectorSchema } from './selector.js';

/**
 * What happens when a workload fails the accountability chain: `Enforce` denies it, `Warn` admits
 * it with a warning, `Audit` admits it and records the failure.
 */
export const ENFORCEMENT_MODES = ['Enforce', 'Warn', 'Audit'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** There is one GovernancePolicy per cluster, and this is its name. */
export const GOVERNANCE_POLICY_NAME = 'default';

/** Namespaces exempt unless the policy lists its own (the oos namespace is always exempt). */
export const DEFAULT_EXEMPT_NAMESPACES: readonly string[] = deepFreeze([
  'kube-system',
  'kube-node-lease',
  'kube-public',
]);

/** Longest Delegation allowed unless the policy says otherwise. */
export const DEFAULT_MAX_DELEGATION = '90d';

/** Longest Exemption allowed unless the policy says otherwise. */
export const DEFAULT_MAX_EXEMPTION = '30d';

/**
 * The group of the cluster's bootstrap admins (the admin client certificate, Helm run with it):
 * they are the governance admins while the policy in force names none of its own, so the first
 * GovernancePolicy and AccountableRoles can be created.
 */
export const BOOTSTRAP_ADMIN_GROUP = 'system:masters';

/**
 * Groups whose members are machines, whatever their username: every ServiceAccount, nodes and
 * their bootstrap tokens, and anonymous requests. Globs (`*` matches any run of characters).
 * `system:authenticated` (everyone) and `system:masters` (human admins too) are not among them.
 */
export const BUILT_IN_MACHINE_GROUPS: readonly string[] = deepFreeze([
  'system:serviceaccounts',
  'system:serviceaccounts:*',
  'system:nodes',
  'system:bootstrappers',
  'system:bootstrappers:*',
  'system:unauthenticated',
]);

/** How long an ended Delegation or Exemption is kept as evidence unless the policy says otherwise. */
export const DEFAULT_EVIDENCE_RETENTION = '180d';

/** Groups that would make every identity, or every machine, a governance admin. */
export const BROAD_GROUPS: readonly string[] = deepFreeze([
  'system:authenticated',
  'system:unauthenticated',
  'system:serviceaccounts',
]);

const enforcementSchema = z
  .enum(ENFORCEMENT_MODES)
  .describe('Enforce (deny), Warn (admit with a warning) or Audit (admit and record).');

export const enforcementRuleSchema = z
  .object({
    namespaceSelector: labelSelectorSchema.describe(
      'Namespaces the rule applies to, by their labels.',
    ),
    enforcement: enforcementSchema,
  })
  .describe('The enforcement mode for the namespaces a selector matches.');

export const detectionLabelSchema = z
  .object({
    key: z.string().min(1).max(317).describe('Label key, e.g. oos.dev/ai-workload.'),
    value: z.string().max(63).optional().describe('Label value; unset matches any value.'),
  })
  .describe('A label that marks a workload as AI.');

export const aiWorkloadDetectionSchema = z
  .object({
    includeBuiltIns: z
      .boolean()
      .default(true)
      .describe(
        'Whether the lists below add to the built-in lists (true) or replace them (false). See docs/api.md for the built-ins.',
      ),
    labels: listMap(detectionLabelSchema, ['key'], 32)
      .optional()
      .describe(
        `Labels that mark a workload as AI. Built in: ${DEFAULT_AI_LABELS.map((l) => `${l.key}=${l.value ?? '*'}`).join(', ')}.`,
      ),
    acceleratorResources: listSet(glob(253), 64)
      .optional()
      .describe(
        `Extended resources that are accelerators, as globs. Built in: ${DEFAULT_ACCELERATOR_RESOURCES.join(', ')}.`,
      ),
    imagePatterns: listSet(glob(512), 128)
      .optional()
      .describe(
        `Container images of AI runtimes, as globs over the full reference. Built in: ${DEFAULT_AI_IMAGE_PATTERNS.join(', ')}.`,
      ),
    credentialEnvVars: listSet(glob(253), 128)
      .optional()
      .describe(
        `Environment variable names that carry model-provider credentials, as globs. Built in: ${DEFAULT_CREDENTIAL_ENV_VARS.join(', ')}.`,
      ),
    credentialSourceNames: listSet(glob(253), 128)
      .optional()
      .describe(
        `Names of Secrets and ConfigMaps that hold model-provider credentials, as globs: a container importing one with envFrom is an AI workload. A heuristic (envFrom keys are not visible at admission). Built in: ${DEFAULT_CREDENTIAL_SOURCE_NAMES.join(', ')}.`,
      ),
    acceleratorDeviceClasses: listSet(glob(253), 64)
      .optional()
      .describe(
        `Dynamic Resource Allocation: DeviceClass names and DRA driver names (as a DeviceClass's CEL selectors name them) of accelerators, as globs; a Pod claiming a device of such a class is accelerated. Built in: ${DEFAULT_ACCELERATOR_DEVICE_CLASSES.join(', ')}.`,
      ),
    kinds: listMap(groupKindSchema, ['group', 'kind'], 64)
      .optional()
      .describe(
        `Kinds that are AI by nature. Built in: ${DEFAULT_AI_KINDS.map((k) => `${k.kind}.${k.group}`).join(', ')}.`,
      ),
  })
  .describe('How oos recognises an AI workload; any one signal suffices.');

export const identitySetSchema = z
  .object({
    users: listSet(username(), 32).optional().describe('Kubernetes usernames.'),
    groups: listSet(groupName(), 16).optional().describe('Kubernetes groups.'),
  })
  .describe('A set of identities, by username or group.');

export const machineIdentitiesSchema = z
  .object({
    users: listSet(glob(253), 64)
      .optional()
      .describe(
        'Usernames (globs) of machines authenticated like people: OIDC bots, client-certificate robots, e.g. ci-bot or robot:*.',
      ),
    groups: listSet(glob(253), 32)
      .optional()
      .describe('Groups (globs) whose members are machines, e.g. oidc:robots.'),
  })
  .describe(
    `Identities oos treats as machines in addition to the built-in ones (usernames starting with system:, and the groups ${BUILT_IN_MACHINE_GROUPS.join(', ')}). A machine never holds a role, is never stamped as the person who did something, and never grants, approves or acknowledges.`,
  );

export const governanceAdminsSchema = z
  .object({
    users: listSet(humanUsername(), 32)
      .optional()
      .describe(
        'Usernames of people who are governance admins (never ServiceAccounts or system: users).',
      ),
    groups: listSet(
      withRules(groupName(), [
        {
          rule: `!(self in ${celList(BROAD_GROUPS)}) && !self.startsWith('system:serviceaccounts:')`,
          message:
            'must not be a group every identity or every ServiceAccount belongs to: governance admins are people',
          reason: 'FieldValueForbidden',
          check: (group) =>
            !BROAD_GROUPS.includes(group) && !group.startsWith('system:serviceaccounts:'),
        },
      ]),
      16,
    )
      .optional()
      .describe('Groups whose members are governance admins, e.g. governance-board.'),
  })
  .describe(
    `People who may change the roles and this policy, approve exemptions, assign accountable roles, resume capabilities and acknowledge escalations anywhere. They are never a stand-in for an accountable role holder in Delegations. While none is named, the members of group ${BOOTSTRAP_ADMIN_GROUP} are (so the first policy and roles can be created).`,
  );

export const governancePolicySpecSchema = z
  .object({
    enforcement: enforcementSchema
      .default('Enforce')
      .describe(
        'What happens to an AI workload that fails the accountability chain, unless an enforcementRules entry matches its namespace: Enforce (deny), Warn (admit with a warning) or Audit (admit and record).',
      ),
    enforcementRules: z
      .array(enforcementRuleSchema)
      .max(32)
      .optional()
      .describe('Per-namespace enforcement; the first rule whose namespaceSelector matches wins.'),
    aiWorkloadDetection: aiWorkloadDetectionSchema.prefault({}),
    exemptNamespaces: listSet(dns1123Label(), 64)
      .default([...DEFAULT_EXEMPT_NAMESPACES])
      .describe(
        'Namespaces oos never governs (the oos namespace always is one). Setting the list replaces the default kube-system, kube-node-lease, kube-public.',
      ),
    governanceAdmins: governanceAdminsSchema.optional(),
    machineIdentities: machineIdentitiesSchema.optional(),
    trustedAppliers: identitySetSchema
      .optional()
      .describe(
        'Machines, such as a GitOps controller, that may apply governance objects on behalf of people. They are never the human in a stamp.',
      ),
    maxDelegation: positiveDuration()
      .default(DEFAULT_MAX_DELEGATION)
      .describe('Longest time a Delegation may run, from validFrom to validUntil.'),
    maxExemption: positiveDuration()
      .default(DEFAULT_MAX_EXEMPTION)
      .describe('Longest time an Exemption may run, from creation to expiresAt.'),
    coordination: coordinationSchema.prefault({}),
    evidenceRetention: positiveDuration()
      .default(DEFAULT_EVIDENCE_RETENTION)
      .describe(
        'How long an ended Delegation or Exemption is kept as evidence: admission refuses to delete one until this long after its validUntil or expiresAt (the operator and namespace deletion excepted).',
      ),
  })
  .describe('The operating model of the cluster.');

export const governancePolicyStatusSchema = z
  .object({ ...statusFields })
  .describe('Observed state of the policy, written by the oos controller.');

export const governancePolicySchema = withRules(
  resourceSchema(
    'GovernancePolicy',
    governancePolicySpecSchema,
    governancePolicyStatusSchema,
    `GovernancePolicy is the operating model of the cluster: how strictly the accountability chain is enforced, what counts as an AI workload, who the governance admins are, and how long delegations and exemptions may last. There is at most one, named ${GOVERNANCE_POLICY_NAME}; without it the built-in defaults apply in Enforce mode.`,
  ),
  [
    nameRule(
      `self.metadata.name == '${GOVERNANCE_POLICY_NAME}'`,
      `must be ${GOVERNANCE_POLICY_NAME}: there is one GovernancePolicy per cluster`,
      (name) => name === GOVERNANCE_POLICY_NAME,
    ),
  ],
);

/** The policy in force when the cluster has none: every default, nothing else. */
export const DEFAULT_GOVERNANCE_POLICY_SPEC: Readonly<GovernancePolicySpec> = deepFreeze(
  governancePolicySpecSchema.parse({}),
);

export type EnforcementRule = z.output<typeof enforcementRuleSchema>;
export type AiWorkloadDetection = z.output<typeof aiWorkloadDetectionSchema>;
export type IdentitySet = z.output<typeof identitySetSchema>;
export type MachineIdentities = z.output<typeof machineIdentitiesSchema>;
export type GovernanceAdmins = z.output<typeof governanceAdminsSchema>;
export type GovernancePolicySpec = z.output<typeof governancePolicySpecSchema>;
export type GovernancePolicyStatus = z.output<typeof governancePolicyStatusSchema>;
export type GovernancePolicy = z.output<typeof governancePolicySchema>;

export const governancePolicyKind = defineKind({
  kind: 'GovernancePolicy',
  plural: 'governancepolicies',
  shortNames: ['govpol'],
  scope: 'Cluster',
  schema: governancePolicySchema,
  printerColumns: [
    {
      name: 'Enforcement',
      type: 'string',
      jsonPath: '.spec.enforcement',
      description: 'Default enforcement mode.',
    },
    {
      name: 'Max Delegation',
      type: 'string',
      jsonPath: '.spec.maxDelegation',
      description: 'Longest Delegation.',
    },
    {
      name: 'Max Exemption',
      type: 'string',
      jsonPath: '.spec.maxExemption',
      description: 'Longest Exemption.',
    },
    READY_COLUMN,
    AGE_COLUMN,
  ],
});
