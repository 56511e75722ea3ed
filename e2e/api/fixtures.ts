import { API_VERSION } from '../../api/index.js';

/**
 * Valid objects of every kind, small on purpose, for the e2e tests of the API. Each builder takes
 * spec overrides (merged shallowly) so an invalid case differs from a valid object by one field.
 */

export const NAMESPACE = 'e2e-api';
/** Prefix of every object this folder creates, so nothing clashes with other test files. */
export const PREFIX = 'e2e-api';

export type Spec = Record<string, unknown>;

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: Spec;
}

function namespaced(kind: string, name: string, spec: Spec): KubeObject {
  return { apiVersion: API_VERSION, kind, metadata: { name, namespace: NAMESPACE }, spec };
}

function clusterScoped(kind: string, name: string, spec: Spec): KubeObject {
  return { apiVersion: API_VERSION, kind, metadata: { name }, spec };
}

export const holder = (user: string, overrides: Spec = {}): Spec => ({
  name: 'Alice Martin',
  email: 'alice.martin@example.com',
  user,
  attestedUntil: '2030-01-01T00:00:00Z',
  ...overrides,
});

export const accountableRole = (spec: Spec = {}, name = `${PREFIX}-role`): KubeObject =>
  clusterScoped('AccountableRole', name, {
    title: 'Credit Risk Officer',
    responsibilities: ['Risk'],
    holders: [holder('alice')],
    ...spec,
  });

export const capability = (spec: Spec = {}, name = `${PREFIX}-capability`): KubeObject =>
  namespaced('Capability', name, {
    description: 'Scores transactions for fraud.',
    intendedUse: 'Holds suspicious transactions for review.',
    accountableRole: `${PREFIX}-role`,
    autonomy: 'Supervised',
    riskTier: 'High',
    ...spec,
  });

export const delegation = (spec: Spec = {}, name = `${PREFIX}-delegation`): KubeObject =>
  namespaced('Delegation', name, {
    capability: `${PREFIX}-capability`,
    serviceAccount: 'scorer',
    validFrom: '2030-01-01T00:00:00Z',
    validUntil: '2030-03-01T00:00:00Z',
    justification: 'Production fraud scoring.',
    ...spec,
  });

export const escalationPolicy = (spec: Spec = {}, name = `${PREFIX}-policy`): KubeObject =>
  namespaced('EscalationPolicy', name, {
    triggers: [{ type: 'DelegationExpiring', severity: 'Warning', leadTime: '14d' }],
    levels: [{ after: '0s', notifyAccountableRole: true }],
    ...spec,
  });

export const escalation = (spec: Spec = {}, name = `${PREFIX}-escalation`): KubeObject =>
  namespaced('Escalation', name, {
    trigger: 'DelegationExpiring',
    severity: 'Warning',
    subject: {
      apiVersion: API_VERSION,
      kind: 'Delegation',
      namespace: NAMESPACE,
      name: `${PREFIX}-delegation`,
    },
    summary: 'The delegation expires in 14 days: grant a new one.',
    ...spec,
  });

export const exemption = (spec: Spec = {}, name = `${PREFIX}-exemption`): KubeObject =>
  namespaced('Exemption', name, {
    scope: { names: ['benchmark'] },
    justification: 'One-off benchmark.',
    expiresAt: '2030-01-10T00:00:00Z',
    ...spec,
  });

/** The cluster's one GovernancePolicy must be named `default`; tests only ever dry-run it. */
export const governancePolicy = (spec: Spec = {}, name = 'default'): KubeObject =>
  clusterScoped('GovernancePolicy', name, { maxDelegation: '90d', ...spec });
