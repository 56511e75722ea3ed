import { describe, expect, it } from 'vitest';
import { capabilitySchema, capabilitySpecSchema } from './capability.js';
import { validationErrors } from './issues.js';

const capability = (spec: Record<string, unknown> = {}, name = 'fraud-scoring') => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Capability',
  metadata: { name, namespace: 'risk-ai' },
  spec: {
    description: 'Scores card transactions for fraud.',
    intendedUse: 'Holds suspicious transactions for review.',
    accountableRole: 'credit-risk-officer',
    autonomy: 'Supervised',
    riskTier: 'High',
    boundaries: {
      allowedImages: ['registry.example.com/risk/*'],
      maxReplicas: 4,
      maxAcceleratorsPerPod: 1,
    },
    ...spec,
  },
});

describe('Capability', () => {
  it('accepts a High-risk Supervised capability and fills the defaults', () => {
    const parsed = capabilitySchema.parse(capability());
    expect(parsed.spec).toMatchObject({
      delegationRequired: true,
      suspend: false,
      stopAction: 'ScaleToZero',
    });
  });

  it.each([
    ['Autonomous at Limited risk', { autonomy: 'Autonomous', riskTier: 'Limited' }],
    [
      'Advisory without delegation at Minimal risk',
      { autonomy: 'Advisory', riskTier: 'Minimal', delegationRequired: false },
    ],
    [
      'suspended with a reason',
      { suspend: true, stopAction: 'DenyNew', suspendReason: 'Drift', suspendedBy: 'alice' },
    ],
    ['no boundaries', { boundaries: undefined }],
    ['zero accelerators', { boundaries: { maxAcceleratorsPerPod: 0 } }],
  ])('accepts %s', (_what, spec) => {
    expect(validationErrors(capabilitySchema, capability(spec))).toEqual([]);
  });

  it.each([
    [
      'High risk with Autonomous',
      { autonomy: 'Autonomous' },
      'spec.autonomy: riskTier High never pairs with autonomy Autonomous',
    ],
    [
      'High risk without delegation',
      { delegationRequired: false },
      'spec.delegationRequired: riskTier High always requires a Delegation',
    ],
    ['an unknown autonomy', { autonomy: 'Sometimes' }, 'spec.autonomy:'],
    ['an unknown risk tier', { riskTier: 'Extreme' }, 'spec.riskTier:'],
    ['an unknown stop action', { stopAction: 'Delete' }, 'spec.stopAction:'],
    [
      'a role name with capitals',
      { accountableRole: 'Credit_Risk' },
      'spec.accountableRole: must be a DNS-1123 subdomain',
    ],
    ['no accountable role', { accountableRole: undefined }, 'spec.accountableRole:'],
    ['no intended use', { intendedUse: '' }, 'spec.intendedUse:'],
    ['zero replicas', { boundaries: { maxReplicas: 0 } }, 'spec.boundaries.maxReplicas:'],
    ['fractional replicas', { boundaries: { maxReplicas: 1.5 } }, 'spec.boundaries.maxReplicas:'],
    [
      'negative accelerators',
      { boundaries: { maxAcceleratorsPerPod: -1 } },
      'spec.boundaries.maxAcceleratorsPerPod:',
    ],
    [
      'an image glob with a space',
      { boundaries: { allowedImages: ['registry.example.com/a b'] } },
      'spec.boundaries.allowedImages[0]: must be a glob',
    ],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(capabilitySchema, capability(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  it('refuses a name that cannot be a label value', () => {
    expect(validationErrors(capabilitySchema, capability({}, 'c'.repeat(63)))).toEqual([]);
    expect(validationErrors(capabilitySchema, capability({}, 'c'.repeat(64)))).toEqual([
      expect.stringContaining('metadata.name must be a DNS-1123 label') as unknown,
    ]);
    expect(validationErrors(capabilitySchema, capability({}, 'fraud.scoring'))).toHaveLength(1);
  });

  it('makes suspendedBy and resumedBy immutable only while the state holds', () => {
    const rules = capabilitySpecSchema.meta()?.['x-kubernetes-validations'] ?? [];
    const suspended = rules.find((r) => r.fieldPath === '.suspendedBy');
    expect(suspended?.rule).toMatch(
      /^!\(has\(oldSelf\.suspend\) && oldSelf\.suspend && has\(self\.suspend\) && self\.suspend\) \|\| /,
    );
    expect(suspended?.message).toContain('while the capability stays suspended');
    expect(rules.find((r) => r.fieldPath === '.resumedBy')?.message).toContain(
      'while the capability stays resumed',
    );
  });
});
