import { describe, expect, it } from 'vitest';
import {
  admission,
  carol,
  escalationPolicy,
  policy,
  throughAdmission,
} from '../testing/fixtures.js';

const create = (object: object) =>
  throughAdmission(admission(object as Record<string, unknown>, { user: carol }));

describe('EscalationPolicies and the GovernancePolicy', () => {
  it('are left to RBAC when valid', () => {
    expect(create(escalationPolicy('p'))).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(create(policy())).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('are refused when invalid', () => {
    const noLevels = {
      ...escalationPolicy('p'),
      spec: { ...escalationPolicy('p').spec, levels: [] },
    };
    expect(create(noLevels)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
    expect(create({ ...policy(), metadata: { name: 'second' } })).toMatchObject({
      allowed: false,
      reason: 'InvalidObject',
    });
  });
});
