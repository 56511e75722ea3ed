import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  carol,
  escalationPolicy,
  gitops,
  policy,
  robot,
  snapshot,
  throughAdmission,
  update,
  withSpec,
} from '../testing/fixtures.js';
import type { Identity } from '../input.js';

const create = (object: object, user: Identity = carol, snap = snapshot()) =>
  throughAdmission(admission(object as Record<string, unknown>, { user }), snap);

describe('EscalationPolicies', () => {
  it('are left to RBAC when valid, and refused when invalid', () => {
    expect(create(escalationPolicy('p'))).toMatchObject({ allowed: true, reason: 'Authorized' });
    const noLevels = {
      ...escalationPolicy('p'),
      spec: { ...escalationPolicy('p').spec, levels: [] },
    };
    expect(create(noLevels)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
  });
});

describe('the GovernancePolicy (the operating model)', () => {
  const stored = policy();

  it('is refused when invalid', () => {
    expect(create({ ...policy(), metadata: { name: 'second' } }, admin)).toMatchObject({
      allowed: false,
      reason: 'InvalidObject',
    });
  });

  it.each([
    ['a governance admin', admin, true, 'Authorized'],
    ['a trusted applier (GitOps)', gitops, true, 'Authorized'],
    ['a person who is not a governance admin', carol, false, 'NotGovernanceAdmin'],
    ['a ServiceAccount', robot, false, 'NotGovernanceAdmin'],
  ])('changes by %s', (_, user, allowed, reason) => {
    for (const change of [
      { enforcement: 'Audit' },
      { governanceAdmins: { users: ['zed'], groups: ['governance-board'] } },
      { trustedAppliers: { users: [user.username] } },
    ]) {
      expect(throughAdmission(update(stored, withSpec(stored, change), user))).toMatchObject({
        allowed,
        reason,
      });
    }
    expect(create(stored, user)).toMatchObject({ allowed, reason });
  });

  it('is created first by the cluster’s bootstrap admins (group system:masters)', () => {
    const bare = snapshot({ policies: [] });
    const masters = { username: 'kube-admin', groups: ['system:masters'] };
    expect(create(stored, masters, bare)).toMatchObject({ allowed: true });
    expect(create(stored, carol, bare)).toMatchObject({ reason: 'NotGovernanceAdmin' });
    const named = policy({ governanceAdmins: undefined });
    expect(create(stored, masters, snapshot({ policies: [named] }))).toMatchObject({
      allowed: true,
    });
  });

  it('leaves changes outside the spec to RBAC', () => {
    const labelled = { ...stored, metadata: { ...stored.metadata, labels: { team: 'x' } } };
    expect(throughAdmission(update(stored, labelled, robot))).toMatchObject({ allowed: true });
  });
});
