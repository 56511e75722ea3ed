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

  it.each([
    ['a member of system:serviceaccounts', ['system:serviceaccounts']],
    ['a member of a namespace’s ServiceAccounts group', ['system:serviceaccounts:ml']],
    ['a node', ['system:nodes']],
    ['a bootstrap token', ['system:bootstrappers:kubeadm:default-node-token']],
    ['an unauthenticated request', ['system:unauthenticated']],
  ])('treats %s as a machine, whatever its username', (_, groups) => {
    const actor = classifyActor(
      { username: 'some-robot', groups: [...groups, 'governance-board'] },
      policy,
    );
    expect(actor).toMatchObject({ kind: 'Machine', admin: false });
    expect(describeActor(actor)).toBe('machine some-robot');
  });

  it('treats everyone (system:authenticated) and cluster admins (system:masters) as people', () => {
    const groups = ['system:authenticated', 'system:masters'];
    expect(classifyActor({ username: 'kim', groups }, policy).kind).toBe('Human');
  });

  it('treats the users and groups the policy names (globs) as machines', () => {
    const custom = snapshot({
      policies: [
        policyFixture({
          machineIdentities: { users: ['ci-bot', 'robot:*'], groups: ['oidc:bots'] },
        }),
      ],
    }).policy;
    expect(classifyActor({ username: 'ci-bot', groups: [] }, custom).kind).toBe('Machine');
    expect(classifyActor({ username: 'robot:deployer', groups: [] }, custom).kind).toBe('Machine');
    expect(classifyActor({ username: 'kim', groups: ['oidc:bots'] }, custom).kind).toBe('Machine');
    expect(classifyActor({ username: 'kim', groups: ['oidc:people'] }, custom).kind).toBe('Human');
    expect(isNaturalPerson('robot:deployer', custom)).toBe(false);
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
