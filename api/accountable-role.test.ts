import { describe, expect, it } from 'vitest';
import { accountableRoleSchema } from './accountable-role.js';
import { validationErrors } from './issues.js';

const alice = {
  name: 'Alice Martin',
  email: 'alice.martin@example.com',
  user: 'alice',
  attestedUntil: '2027-09-30T23:59:59Z',
};
const bob = { ...alice, name: 'Bob Osei', email: 'bob.osei@example.com', user: 'bob' };

const role = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'AccountableRole',
  metadata: { name: 'credit-risk-officer' },
  spec: {
    title: 'Credit Risk Officer',
    responsibilities: ['Risk', 'Legal'],
    holders: [alice, bob],
    ...spec,
  },
});

describe('AccountableRole', () => {
  it('accepts a role with two holders', () => {
    expect(validationErrors(accountableRoleSchema, role())).toEqual([]);
  });

  it('may be vacant: holders default to none', () => {
    const parsed = accountableRoleSchema.parse(role({ holders: undefined }));
    expect(parsed.spec.holders).toEqual([]);
  });

  it.each([
    [
      'a ServiceAccount as holder',
      { holders: [{ ...alice, user: 'system:serviceaccount:risk:bot' }] },
      'spec.holders[0].user: must be a person: a ServiceAccount',
    ],
    [
      'a system: identity as holder',
      { holders: [{ ...alice, user: 'system:kube-controller-manager' }] },
      'spec.holders[0].user: must be a person: system: identities',
    ],
    [
      'the same user twice',
      { holders: [alice, { ...bob, user: 'alice' }] },
      'spec.holders[1]: Duplicate value: {"user":"alice"}',
    ],
    [
      'a display-form email',
      { holders: [{ ...alice, email: 'Alice <alice@example.com>' }] },
      'spec.holders[0].email: must be a plain email address',
    ],
    [
      'an attestation without a date-time',
      { holders: [{ ...alice, attestedUntil: '2027-09-30' }] },
      'spec.holders[0].attestedUntil:',
    ],
    [
      'a holder without attestation',
      { holders: [{ ...alice, attestedUntil: undefined }] },
      'spec.holders[0].attestedUntil:',
    ],
    ['an unknown responsibility', { responsibilities: ['Financial'] }, 'spec.responsibilities[0]:'],
    ['no responsibility', { responsibilities: [] }, 'spec.responsibilities:'],
    [
      'a responsibility twice',
      { responsibilities: ['Risk', 'Risk'] },
      'spec.responsibilities[1]: Duplicate value: "Risk"',
    ],
    ['no title', { title: undefined }, 'spec.title:'],
    [
      '33 holders',
      { holders: Array.from({ length: 33 }, (_, i) => ({ ...alice, user: `user-${i}` })) },
      'spec.holders:',
    ],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(accountableRoleSchema, role(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });
});
