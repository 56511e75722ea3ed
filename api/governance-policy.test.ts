import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXEMPT_NAMESPACES,
  DEFAULT_GOVERNANCE_POLICY_SPEC,
  governancePolicySchema,
} from './governance-policy.js';
import { validationErrors } from './issues.js';

const policy = (spec: Record<string, unknown> = {}, name = 'default') => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'GovernancePolicy',
  metadata: { name },
  spec,
});

describe('GovernancePolicy', () => {
  it('is all defaults when empty: Enforce, 90d, 30d, built-in detection', () => {
    expect(DEFAULT_GOVERNANCE_POLICY_SPEC).toEqual({
      enforcement: 'Enforce',
      aiWorkloadDetection: { includeBuiltIns: true },
      exemptNamespaces: [...DEFAULT_EXEMPT_NAMESPACES],
      maxDelegation: '90d',
      maxExemption: '30d',
      coordination: { posture: 'Open', maxPending: '72h' },
      evidenceRetention: '180d',
    });
    expect(governancePolicySchema.parse(policy()).spec).toEqual(DEFAULT_GOVERNANCE_POLICY_SPEC);
  });

  it('accepts a full operating model', () => {
    const spec = {
      enforcement: 'Enforce',
      enforcementRules: [
        { namespaceSelector: { matchLabels: { environment: 'sandbox' } }, enforcement: 'Warn' },
      ],
      aiWorkloadDetection: {
        includeBuiltIns: false,
        labels: [{ key: 'example.com/ai' }, { key: 'team', value: 'ml' }],
        acceleratorResources: ['nvidia.com/gpu'],
        imagePatterns: ['registry.example.com/ml/*'],
        credentialEnvVars: ['INTERNAL_LLM_*'],
        kinds: [{ group: 'serving.kserve.io', kind: 'InferenceService' }],
      },
      exemptNamespaces: ['kube-system', 'monitoring'],
      governanceAdmins: { groups: ['governance-board', 'system:masters'], users: ['dana'] },
      machineIdentities: { users: ['ci-bot', 'robot:*'], groups: ['oidc:robots'] },
      trustedAppliers: {
        users: ['system:serviceaccount:argocd:argocd-application-controller'],
        groups: ['system:serviceaccounts:flux-system'],
      },
      maxDelegation: '30d',
      maxExemption: '7d',
    };
    expect(validationErrors(governancePolicySchema, policy(spec))).toEqual([]);
  });

  it.each([
    [
      'a second policy',
      {},
      'another',
      'metadata.name must be default: there is one GovernancePolicy per cluster',
    ],
    ['an unknown enforcement', { enforcement: 'Block' }, 'default', 'spec.enforcement:'],
    [
      'maxDelegation in months',
      { maxDelegation: '3 months' },
      'default',
      'spec.maxDelegation: must be a duration',
    ],
    [
      'a zero maxExemption',
      { maxExemption: '0d' },
      'default',
      'spec.maxExemption: must be a duration longer than zero',
    ],
    [
      'everyone as governance admin',
      { governanceAdmins: { groups: ['system:authenticated'] } },
      'default',
      'spec.governanceAdmins.groups[0]: must not be a group every identity',
    ],
    [
      'all ServiceAccounts of a namespace as governance admins',
      { governanceAdmins: { groups: ['system:serviceaccounts:ci'] } },
      'default',
      'spec.governanceAdmins.groups[0]:',
    ],
    [
      'a ServiceAccount as governance admin',
      { governanceAdmins: { users: ['system:serviceaccount:ci:bot'] } },
      'default',
      'spec.governanceAdmins.users[0]: must be a person',
    ],
    [
      'an exempt namespace that is not a DNS label',
      { exemptNamespaces: ['Kube_System'] },
      'default',
      'spec.exemptNamespaces[0]: must be a DNS-1123 label',
    ],
    [
      'a detection label twice',
      { aiWorkloadDetection: { labels: [{ key: 'a' }, { key: 'a', value: 'x' }] } },
      'default',
      'spec.aiWorkloadDetection.labels[1]: Duplicate value',
    ],
    [
      'an enforcement rule without selector',
      { enforcementRules: [{ enforcement: 'Audit' }] },
      'default',
      'spec.enforcementRules[0].namespaceSelector:',
    ],
  ])('refuses %s', (_what, spec, name, error) => {
    const errors = validationErrors(governancePolicySchema, policy(spec, name));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });
});
