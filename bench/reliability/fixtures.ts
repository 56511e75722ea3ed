/**
 * The objects of the reliability scenarios: a namespace whose Pods oos allows (anchored and
 * delegated) or denies (anchored to a capability that does not exist, so the chart's fallback
 * policy lets it reach the webhook), and capabilities whose roles fall vacant to raise
 * escalations. Every person acts through impersonation, bound to cluster-admin so that every
 * refusal comes from oos.
 */
import type { LoadCase } from './load-types.js';

export const LOAD_NAMESPACE = 'rel-load';
export const ESCALATION_NAMESPACE = 'rel-esc';
export const PEOPLE_GROUP = 'rel-people';
/** The holder of every role here; creates the Delegation (a machine never can). */
export const HOLDER = 'rel-alice';
export const CAPABILITY = 'rel-cap';
const ROLE = 'rel-owner';
const RUNNER = 'runner';

const year = (now: number): string =>
  new Date(now + 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

function role(name: string, holders: boolean, now: number): string {
  return `apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${name} }
spec:
  title: ${name}
  responsibilities: [Risk]
  holders:${holders ? `\n    - { name: Alice Doe, email: alice@example.com, user: ${HOLDER}, attestedUntil: '${year(now)}' }` : ' []'}`;
}

function capability(name: string, namespace: string, roleName: string, policy?: string): string {
  return `apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  description: Answers questions from the reliability load.
  intendedUse: A synthetic workload of the reliability scenarios.
  accountableRole: ${roleName}
  autonomy: Supervised
  riskTier: Limited${policy === undefined ? '' : `\n  delegationRequired: false\n  escalationPolicy: ${policy}`}`;
}

/** Applied as the admin: people RBAC, namespaces, the role, the capability, the ServiceAccount. */
export function loadGovernance(now: number): string {
  return [
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: rel-people }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${PEOPLE_GROUP} }`,
    `apiVersion: v1
kind: Namespace
metadata: { name: ${LOAD_NAMESPACE} }`,
    `apiVersion: v1
kind: ServiceAccount
metadata: { name: ${RUNNER}, namespace: ${LOAD_NAMESPACE} }`,
    role(ROLE, true, now),
    capability(CAPABILITY, LOAD_NAMESPACE, ROLE),
  ].join('\n---\n');
}

/** Applied as {@link HOLDER}: admission stamps grantedBy from the requester. */
export function loadDelegation(now: number): string {
  return `apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${CAPABILITY}-${RUNNER}, namespace: ${LOAD_NAMESPACE} }
spec:
  capability: ${CAPABILITY}
  serviceAccount: ${RUNNER}
  validUntil: '${new Date(now + 60 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')}'
  justification: The reliability load runs as this ServiceAccount.`;
}

/**
 * A Capability made during a scenario, to prove a change reaches admission (and status): no
 * Delegation is needed, so a Pod anchored to it is allowed as soon as a replica has seen it.
 */
export function freshCapability(name: string): string {
  return `${capability(name, LOAD_NAMESPACE, ROLE)}
  delegationRequired: false`;
}

export function pod(
  name: string,
  labels: Record<string, string>,
  serviceAccount?: string,
): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: LOAD_NAMESPACE, labels },
    spec: {
      ...(serviceAccount === undefined ? {} : { serviceAccountName: serviceAccount }),
      containers: [{ name: 'model', image: 'registry.example/rel/model:1' }],
    },
  };
}

const podsPath = `/api/v1/namespaces/${LOAD_NAMESPACE}/pods?dryRun=All`;

/** A dry-run create of a Pod anchored to `capability` as the delegated ServiceAccount. */
export function anchoredCase(capabilityName: string): LoadCase {
  return {
    name: `anchored:${capabilityName}`,
    path: podsPath,
    body: pod('anchored', { 'oos.dev/capability': capabilityName }, RUNNER),
    expect: 'allowed',
  };
}

/**
 * Who sends the load: a person (impersonated by the admin's certificate) with every RBAC right,
 * never the operator's own identity, whose requests the webhooks do not judge.
 */
export const LOADER_HEADERS: Readonly<Record<string, string[]>> = {
  'Impersonate-User': ['rel-loader'],
  'Impersonate-Group': [PEOPLE_GROUP, 'system:authenticated'],
};

/** The mix: half allowed (anchored and delegated; a plain Pod), half denied by oos. */
export const LOAD_CASES: readonly LoadCase[] = [
  anchoredCase(CAPABILITY),
  {
    name: 'unknown-capability',
    path: podsPath,
    body: pod('unknown', { 'oos.dev/capability': 'rel-missing' }, RUNNER),
    expect: 'denied',
    reason: 'CapabilityNotFound',
  },
  { name: 'plain', path: podsPath, body: pod('plain', { app: 'web' }), expect: 'allowed' },
  {
    name: 'undelegated',
    path: podsPath,
    body: pod('undelegated', { 'oos.dev/capability': CAPABILITY }),
    expect: 'denied',
    reason: 'DelegationMissing',
  },
];

/** The escalation scenario's objects: `count` held roles, a capability each, one policy. */
export function escalationGovernance(prefix: string, count: number, now: number): string {
  const docs = [
    `apiVersion: v1
kind: Namespace
metadata: { name: ${ESCALATION_NAMESPACE} }`,
    `apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: ladder, namespace: ${ESCALATION_NAMESPACE} }
spec:
  triggers:
    - { type: AccountabilityVacant, severity: Critical }
  levels:
    - { after: 0s, notifyAccountableRole: true }`,
  ];
  for (let i = 0; i < count; i += 1) {
    docs.push(role(`${prefix}-${String(i)}`, true, now));
    docs.push(
      capability(
        `${prefix}-${String(i)}`,
        ESCALATION_NAMESPACE,
        `${prefix}-${String(i)}`,
        'ladder',
      ),
    );
  }
  return docs.join('\n---\n');
}
