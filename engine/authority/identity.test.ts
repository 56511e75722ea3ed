import { describe, expect, it } from 'vitest';
import {
  admin,
  alice,
  gitops,
  kubeSystem,
  policy as policyFixture,
  robot,
  snapshot,
} from '../testing/fixtures.js';
import { classifyActor, describeActor, isNaturalPerson } from './identity.js';

const { policy } = snapshot();

describe('who is asking', () => {
  it.each([
    ['a person', alice, 'Human', false],
    ['a governance admin (by group)', admin, 'Human', true],
    ['a ServiceAccount', robot, 'ServiceAccount', false],
    ['a trusted applier (a ServiceAccount listed in the policy)', gitops, 'TrustedApplier', false],
    ['a system: identity', kubeSystem, 'System', false],
    ['anonymous', { username: '', groups: [] }, 'System', false],
  ])('%s', (_, identity, kind, isAdmin) => {
    expect(classifyActor(identity, policy)).toMatchObject({ kind, admin: isAdmin });
  });

  it('never makes a machine a governance admin, whatever its groups', () => {
    expect(classifyActor({ ...robot, groups: ['governance-board'] }, policy).admin).toBe(false);
  });

  it('recognises admins by username and trusted appliers by group', () => {
    const custom = snapshot({
      policies: [
        policyFixture({
          governanceAdmins: { users: ['hank'] },
          trustedAppliers: { groups: ['flux'] },
        }),
      ],
    }).policy;
    expect(classifyActor({ username: 'hank', groups: [] }, custom).admin).toBe(true);
    expect(classifyActor(admin, custom).admin).toBe(false);
    const flux = {
      username: 'system:serviceaccount:flux-system:kustomize-controller',
      groups: ['flux'],
    };
    expect(classifyActor(flux, custom).kind).toBe('TrustedApplier');
    expect(classifyActor(gitops, custom).kind).toBe('ServiceAccount');
  });

  it('holds roles for natural persons only', () => {
    expect(isNaturalPerson('alice', policy)).toBe(true);
    expect(isNaturalPerson(robot.username, policy)).toBe(false);
    expect(isNaturalPerson('system:admin', policy)).toBe(false);
    expect(isNaturalPerson(gitops.username, policy)).toBe(false);
  });

  it('is named in messages with what it is', () => {
    expect(describeActor(classifyActor(robot, policy))).toBe(`ServiceAccount ${robot.username}`);
    expect(describeActor(classifyActor(gitops, policy))).toBe(`trusted applier ${gitops.username}`);
    expect(describeActor(classifyActor(alice, policy))).toBe('alice');
    expect(describeActor(classifyActor({ username: '', groups: [] }, policy))).toBe(
      'system identity (anonymous)',
    );
  });
});
