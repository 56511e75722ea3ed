import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  carol,
  gitops,
  holder,
  policy,
  robot,
  role,
  snapshot,
  throughAdmission,
  update,
  withSpec,
} from '../testing/fixtures.js';
import type { Identity } from '../input.js';

const create = (object: object, user: Identity = admin, snap = snapshot()) =>
  throughAdmission(admission(object as Record<string, unknown>, { user }), snap);

describe('AccountableRole holders', () => {
  it('are people', () => {
    expect(create(role('ethics-board', [holder('erin')]))).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('are never ServiceAccounts or system: identities (the schema refuses them)', () => {
    const machine = {
      ...role(),
      spec: { ...role().spec, holders: [holder('system:serviceaccount:ml:bot')] },
    };
    expect(create(machine)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
  });

  it('are never trusted appliers', () => {
    const snap = snapshot({ policies: [policy({ trustedAppliers: { users: ['deploy-bot'] } })] });
    const decision = create(role('ops', [holder('erin'), holder('deploy-bot')]), admin, snap);
    expect(decision).toMatchObject({ allowed: false, reason: 'HolderNotHuman' });
    expect(decision.message).toContain(
      'holder deploy-bot of AccountableRole ops is a trusted applier',
    );
  });

  it('are never machines the policy names', () => {
    const snap = snapshot({ policies: [policy({ machineIdentities: { users: ['robot-*'] } })] });
    expect(create(role('ops', [holder('robot-7')]), admin, snap)).toMatchObject({
      allowed: false,
      reason: 'HolderNotHuman',
    });
  });
});

describe('who appoints holders (accountability is appointed, not self-assigned)', () => {
  const stored = role('ethics-board', [holder('erin')]);

  it.each([
    ['a governance admin', admin, true, 'Authorized'],
    ['a trusted applier (GitOps)', gitops, true, 'Authorized'],
    ['a person who is not a governance admin', carol, false, 'NotGovernanceAdmin'],
    ['a ServiceAccount', robot, false, 'NotGovernanceAdmin'],
  ])('%s', (_, user, allowed, reason) => {
    expect(create(stored, user)).toMatchObject({ allowed, reason });
    const added = withSpec(stored, { holders: [holder('erin'), holder('frank')] });
    expect(throughAdmission(update(stored, added, user))).toMatchObject({ allowed, reason });
  });

  it('refuses a person adding themselves, even a governance admin', () => {
    const added = withSpec(stored, { holders: [holder('erin'), holder(admin.username)] });
    expect(throughAdmission(update(stored, added, admin))).toMatchObject({
      allowed: false,
      reason: 'SelfAppointment',
    });
    expect(create(role('mine', [holder(admin.username)]))).toMatchObject({
      reason: 'SelfAppointment',
    });
  });

  it('refuses a holder renewing their own attestation, and lets them step down', () => {
    const self = { username: 'erin', groups: ['governance-board'] };
    const renewed = withSpec(stored, { holders: [holder('erin', '2030-01-01T00:00:00Z')] });
    expect(throughAdmission(update(stored, renewed, self))).toMatchObject({
      reason: 'SelfAppointment',
    });
    const stepped = withSpec(stored, { holders: [] });
    expect(throughAdmission(update(stored, stepped, self))).toMatchObject({
      reason: 'Authorized',
    });
  });

  it('leaves changes outside the spec to RBAC', () => {
    const labelled = { ...stored, metadata: { ...stored.metadata, labels: { team: 'x' } } };
    expect(throughAdmission(update(stored, labelled, carol))).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('bootstraps: with no policy, members of system:masters are the governance admins', () => {
    const bare = snapshot({ policies: [] });
    const masters = { username: 'kube-admin', groups: ['system:masters'] };
    expect(create(stored, masters, bare)).toMatchObject({ allowed: true });
    expect(create(stored, admin, bare)).toMatchObject({ reason: 'NotGovernanceAdmin' });
    expect(create(stored, masters)).toMatchObject({ reason: 'NotGovernanceAdmin' });
  });
});
