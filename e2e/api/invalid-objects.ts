import {
  accountableRole,
  capability,
  delegation,
  escalation,
  escalationPolicy,
  exemption,
  governancePolicy,
  holder,
  PREFIX,
  type KubeObject,
  type Spec,
} from './fixtures.js';

/**
 * One row per rule the apiserver enforces on its own (no webhook). `expect` holds fragments of
 * kubectl's stderr: the field path and the words of the rule.
 */
interface Case {
  readonly rule: string;
  readonly valid: KubeObject;
  readonly expect: readonly string[];
}

/**
 * `create` is an object the apiserver must refuse, sent with `kubectl apply --server-side` (or
 * `kubectl create` with `via: 'create'`); `valid`, one field apart, must be accepted.
 */
export interface CreateCase extends Case {
  readonly create: KubeObject;
  readonly via?: 'create';
}

/** `valid` is created for real, then `patch` (a JSON merge patch of its spec) must be refused. */
export interface UpdateCase extends Case {
  readonly patch: Spec;
}

const egressTo = (cidr: string) => ({
  name: 'partner',
  cidrs: [cidr],
  ports: [{ port: 443 }],
  justification: 'Partner API.',
});
const callTo = (ports: readonly { port: number }[]) => ({
  namespace: 'risk',
  capability: 'fraud-scoring',
  ports,
  justification: 'Scores.',
});
const outside = (classes: Spec) => ({
  name: 'stay-inside',
  from: {},
  to: { external: true, ...classes },
  reason: 'Nothing leaves.',
});

const manyImages = Array.from({ length: 33 }, (_, i) => `registry.example.com/img-${i}:*`);

export const CREATE_CASES: readonly CreateCase[] = [
  {
    rule: 'a ServiceAccount never holds a role',
    valid: accountableRole(),
    create: accountableRole({ holders: [holder('system:serviceaccount:risk:bot')] }),
    expect: [
      'spec.holders[0].user',
      'a ServiceAccount (system:serviceaccount:...) can execute but never hold accountability',
    ],
  },
  {
    rule: 'a system: identity never holds a role',
    valid: accountableRole(),
    create: accountableRole({ holders: [holder('system:kube-scheduler')] }),
    expect: [
      'spec.holders[0].user',
      'system: identities belong to Kubernetes and never hold accountability',
    ],
  },
  {
    rule: 'holders are unique by user (kubectl create)',
    valid: accountableRole({ holders: [holder('alice'), holder('bob')] }),
    create: accountableRole({ holders: [holder('alice'), holder('alice')] }),
    via: 'create',
    expect: ['spec.holders[1]', 'Duplicate value', '"user":"alice"'],
  },
  {
    rule: 'holders are unique by user (server-side apply)',
    valid: accountableRole({ holders: [holder('alice'), holder('bob')] }),
    create: accountableRole({ holders: [holder('alice'), holder('alice')] }),
    expect: ['.spec.holders', 'duplicate entries for key [user="alice"]'],
  },
  {
    rule: 'a holder email is a plain address',
    valid: accountableRole(),
    create: accountableRole({ holders: [holder('alice', { email: 'Alice <alice@example.com>' })] }),
    expect: ['spec.holders[0].email', 'must be a plain email address'],
  },
  {
    rule: 'attestedUntil is an RFC 3339 date-time',
    valid: accountableRole(),
    create: accountableRole({ holders: [holder('alice', { attestedUntil: 'next year' })] }),
    expect: ['spec.holders[0].attestedUntil', 'must be of type date-time'],
  },
  {
    rule: 'High risk never pairs with Autonomous',
    valid: capability({ autonomy: 'Supervised' }),
    create: capability({ autonomy: 'Autonomous' }),
    expect: ['spec.autonomy', 'riskTier High never pairs with autonomy Autonomous'],
  },
  {
    rule: 'High risk always requires a Delegation',
    valid: capability({ riskTier: 'Limited', delegationRequired: false }),
    create: capability({ delegationRequired: false }),
    expect: ['spec.delegationRequired', 'riskTier High always requires a Delegation'],
  },
  {
    rule: 'autonomy is one of the three levels',
    valid: capability(),
    create: capability({ autonomy: 'Sometimes' }),
    expect: [
      'spec.autonomy',
      'Unsupported value: "Sometimes"',
      '"Autonomous", "Supervised", "Advisory"',
    ],
  },
  {
    rule: 'accountableRole is a DNS-1123 subdomain',
    valid: capability(),
    create: capability({ accountableRole: 'Credit_Risk' }),
    expect: ['spec.accountableRole', 'must be a DNS-1123 subdomain'],
  },
  {
    rule: 'accountableRole is required',
    valid: capability(),
    create: capability({ accountableRole: undefined }),
    expect: ['spec.accountableRole', 'Required value'],
  },
  {
    rule: 'maxReplicas is at least 1',
    valid: capability({ boundaries: { maxReplicas: 1 } }),
    create: capability({ boundaries: { maxReplicas: 0 } }),
    expect: ['spec.boundaries.maxReplicas', 'should be greater than or equal to 1'],
  },
  {
    rule: 'allowedImages holds at most 32 globs',
    valid: capability({ boundaries: { allowedImages: manyImages.slice(0, 32) } }),
    create: capability({ boundaries: { allowedImages: manyImages } }),
    expect: ['spec.boundaries.allowedImages', 'must have at most 32 items'],
  },
  {
    rule: 'a Capability name fits in a label value',
    valid: capability({}, `${PREFIX}-${'c'.repeat(63 - PREFIX.length - 1)}`),
    create: capability({}, `${PREFIX}-${'c'.repeat(64 - PREFIX.length - 1)}`),
    expect: ['metadata.name must be a DNS-1123 label (at most 63 characters'],
  },
  {
    rule: 'an egress CIDR has its host bits zero',
    valid: capability({ interactions: { egress: [egressTo('203.0.113.0/24')] } }),
    create: capability({ interactions: { egress: [egressTo('203.0.113.7/24')] } }),
    expect: ['spec.interactions.egress[0].cidrs[0]', 'must be a CIDR with its host bits zero'],
  },
  {
    rule: 'an egress names an endpoint or CIDRs, not both',
    valid: capability({ interactions: { egress: [egressTo('203.0.113.0/24')] } }),
    create: capability({
      interactions: { egress: [{ ...egressTo('203.0.113.0/24'), endpoint: 'provider' }] },
    }),
    expect: [
      'spec.interactions.egress[0]',
      'name exactly one of endpoint (from the catalogue) and cidrs',
    ],
  },
  {
    rule: 'a call names at least one port',
    valid: capability({ interactions: { calls: [callTo([{ port: 8080 }])] } }),
    create: capability({ interactions: { calls: [callTo([])] } }),
    expect: ['spec.interactions.calls[0].ports', 'should have at least 1 items'],
  },
  {
    rule: 'a forbidden edge to outside the cluster names no capability class',
    valid: governancePolicy({ coordination: { forbiddenEdges: [outside({})] } }),
    create: governancePolicy({
      coordination: { forbiddenEdges: [outside({ riskTiers: ['High'] })] },
    }),
    expect: [
      // applied over the samples' policy, whose rules come first in the merged list
      'spec.coordination.forbiddenEdges[',
      'external: true names every destination outside the cluster',
    ],
  },
  {
    rule: 'validUntil is after validFrom',
    valid: delegation(),
    create: delegation({ validUntil: '2029-12-31T00:00:00Z' }),
    expect: ['spec.validUntil', 'validUntil must be after validFrom'],
  },
  {
    rule: 'a Delegation names its capability by a DNS-1123 label',
    valid: delegation(),
    create: delegation({ capability: 'fraud.scoring' }),
    expect: ['spec.capability', 'must be a DNS-1123 label'],
  },
  {
    rule: 'leadTime only on *Expiring triggers',
    valid: escalationPolicy(),
    create: escalationPolicy({
      triggers: [{ type: 'DelegationExpired', severity: 'Critical', leadTime: '1d' }],
    }),
    expect: [
      'spec.triggers[0].leadTime',
      'leadTime applies only to AttestationExpiring and DelegationExpiring',
    ],
  },
  {
    rule: 'an escalation level notifies someone',
    valid: escalationPolicy(),
    create: escalationPolicy({ levels: [{ after: '4h' }] }),
    expect: ['spec.levels[0].roles', 'a level must notify someone'],
  },
  {
    rule: 'after is a duration',
    valid: escalationPolicy(),
    create: escalationPolicy({ levels: [{ after: '4 hours', notifyAccountableRole: true }] }),
    expect: ['spec.levels[0].after', 'must be a duration such as 90d'],
  },
  {
    rule: 'acknowledgedBy only on an acknowledged escalation',
    valid: escalation({ acknowledged: true, acknowledgedBy: 'alice' }),
    create: escalation({ acknowledgedBy: 'alice' }),
    expect: ['spec.acknowledgedBy', 'only set on an acknowledged escalation'],
  },
  {
    rule: 'an exemption is narrow',
    valid: exemption(),
    create: exemption({ scope: { namespace: 'payments' } }),
    expect: ['spec.scope', 'an exemption must be narrow'],
  },
  {
    rule: 'an empty selector is not narrow',
    valid: exemption({ scope: { selector: { matchLabels: { app: 'bench' } } } }),
    create: exemption({ scope: { selector: { matchExpressions: [] } } }),
    expect: ['spec.scope', 'an empty selector selects everything'],
  },
  {
    rule: 'approvedDigest only on an approved exemption',
    valid: exemption({
      requestedBy: 'alice',
      approved: true,
      approvedBy: 'bob',
      approvedDigest: `sha256:${'0'.repeat(64)}`,
    }),
    create: exemption({ approvedDigest: `sha256:${'0'.repeat(64)}` }),
    expect: ['spec.approvedDigest', 'only set on an approved exemption'],
  },
  {
    rule: 'no one approves their own exemption',
    valid: exemption({ requestedBy: 'alice', approved: true, approvedBy: 'bob' }),
    create: exemption({ requestedBy: 'alice', approved: true, approvedBy: 'alice' }),
    expect: ['spec.approvedBy', 'approvedBy must be a different person from requestedBy'],
  },
  {
    rule: 'maxDelegation is a duration',
    valid: governancePolicy(),
    create: governancePolicy({ maxDelegation: '3 months' }),
    expect: ['spec.maxDelegation', 'must be a duration such as 90d'],
  },
  {
    rule: 'maxExemption is longer than zero',
    valid: governancePolicy({ maxExemption: '14d' }),
    create: governancePolicy({ maxExemption: '0d' }),
    expect: ['spec.maxExemption', 'must be a duration longer than zero'],
  },
  {
    rule: 'enforcement is Enforce, Warn or Audit',
    valid: governancePolicy({ enforcement: 'Warn' }),
    create: governancePolicy({ enforcement: 'Block' }),
    expect: ['spec.enforcement', 'Unsupported value: "Block"'],
  },
  {
    rule: 'governance admins are people, not everyone',
    valid: governancePolicy({ governanceAdmins: { groups: ['governance-board'] } }),
    create: governancePolicy({ governanceAdmins: { groups: ['system:authenticated'] } }),
    // Server-side apply merges the set with a `default` policy that may already exist.
    expect: ['spec.governanceAdmins.groups[', 'governance admins are people'],
  },
  {
    rule: 'the one GovernancePolicy is named default',
    valid: governancePolicy(),
    create: governancePolicy({}, `${PREFIX}-policy`),
    expect: ['metadata.name must be default: there is one GovernancePolicy per cluster'],
  },
];

export const UPDATE_CASES: readonly UpdateCase[] = [
  {
    rule: 'grantedBy cannot change once stamped',
    valid: delegation({ grantedBy: 'alice' }, `${PREFIX}-granted`),
    patch: { grantedBy: 'mallory' },
    expect: ['spec.grantedBy', 'grantedBy is stamped by admission and cannot change once set'],
  },
  {
    rule: 'a Delegation keeps its capability',
    valid: delegation({}, `${PREFIX}-keeps-capability`),
    patch: { capability: 'other' },
    expect: ['spec.capability', 'capability is immutable'],
  },
  {
    rule: 'a Delegation is never extended',
    valid: delegation({}, `${PREFIX}-not-extended`),
    patch: { validUntil: '2030-06-01T00:00:00Z' },
    expect: ['spec.validUntil', 'validUntil cannot be extended'],
  },
  {
    rule: 'a revoked Delegation stays revoked',
    valid: delegation({ revoked: true }, `${PREFIX}-revoked`),
    patch: { revoked: false },
    expect: ['spec.revoked', 'revoked cannot be undone once true'],
  },
  {
    rule: 'an approved Exemption keeps its scope',
    valid: exemption(
      { requestedBy: 'alice', approved: true, approvedBy: 'bob' },
      `${PREFIX}-approved`,
    ),
    patch: { scope: { names: ['everything-else'] } },
    expect: ['spec', 'an approved exemption cannot change its scope'],
  },
  {
    rule: 'an Escalation keeps who answers for it',
    valid: escalation({ accountableRole: 'credit-risk-officer' }, `${PREFIX}-keeps-role`),
    patch: { accountableRole: 'mallory-role' },
    expect: ['spec', 'capability, accountableRole and policy are immutable'],
  },
  {
    rule: 'an Escalation does not gain an accountable role',
    valid: escalation({}, `${PREFIX}-gains-role`),
    patch: { accountableRole: 'mallory-role' },
    expect: ['spec', 'capability, accountableRole and policy are immutable'],
  },
  {
    rule: 'acknowledgedBy cannot change once stamped',
    valid: escalation({ acknowledged: true, acknowledgedBy: 'alice' }, `${PREFIX}-acknowledged`),
    patch: { acknowledgedBy: 'mallory' },
    expect: [
      'spec.acknowledgedBy',
      'acknowledgedBy is stamped by admission and cannot change once set',
    ],
  },
  {
    rule: 'suspendedBy cannot change while suspended',
    valid: capability({ suspend: true, suspendedBy: 'alice' }, `${PREFIX}-suspended`),
    patch: { suspendedBy: 'mallory' },
    expect: ['spec.suspendedBy', 'while the capability stays suspended'],
  },
];
