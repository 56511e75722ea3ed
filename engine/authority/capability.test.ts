import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  alice,
  capability,
  carol,
  gitops,
  holder,
  robot,
  role,
  snapshot,
  specField,
  throughAdmission,
  unstamped,
  update,
  withSpec,
  type InputOptions,
} from '../testing/fixtures.js';

const dana = { username: 'dana', groups: [] };
const fresh = unstamped(capability('summarizer'));
const create = (options: InputOptions, object: object = fresh) =>
  throughAdmission(admission(object as Record<string, unknown>, options));

describe('creating a Capability (assigning its accountable role)', () => {
  it.each([
    ['a current holder of the role', alice, true, 'Authorized'],
    ['a governance admin', admin, true, 'Authorized'],
    ['a trusted applier', gitops, true, 'Authorized'],
    ['a different human', carol, false, 'NotRoleHolder'],
    ['a ServiceAccount', robot, false, 'NotHuman'],
  ])('by %s', (_, user, allowed, reason) => {
    expect(create({ user })).toMatchObject({ allowed, reason });
  });

  it('to a role that does not exist: only an admin or a trusted applier', () => {
    const ghost = withSpec(fresh, { accountableRole: 'ghost' });
    expect(create({ user: alice }, ghost)).toMatchObject({ reason: 'AccountableRoleNotFound' });
    expect(create({ user: admin }, ghost)).toMatchObject({ reason: 'Authorized' });
    expect(create({ user: gitops }, ghost)).toMatchObject({ reason: 'Authorized' });
  });

  it('refuses the schema’s invariants (High risk never Autonomous)', () => {
    expect(
      create({ user: alice }, withSpec(fresh, { riskTier: 'High', autonomy: 'Autonomous' })),
    ).toMatchObject({ reason: 'InvalidObject' });
  });
});

describe('changing a Capability', () => {
  const stored = capability('summarizer');

  it('to another role needs a current holder of the new role', () => {
    const moved = withSpec(stored, { accountableRole: 'chief-risk-officer' });
    const decision = throughAdmission(update(stored, moved, alice));
    expect(decision).toMatchObject({ allowed: false, reason: 'NotRoleHolder' });
    expect(decision.message).toContain(
      'cannot assign AccountableRole chief-risk-officer to Capability ml/summarizer',
    );
    expect(throughAdmission(update(stored, moved, dana))).toMatchObject({ reason: 'Authorized' });
  });

  it('in what it allows needs a current holder, an admin or a trusted applier', () => {
    const wider = withSpec(stored, { boundaries: { maxReplicas: 50 } });
    expect(throughAdmission(update(stored, wider, carol))).toMatchObject({
      reason: 'NotRoleHolder',
    });
    expect(throughAdmission(update(stored, wider, alice))).toMatchObject({ reason: 'Authorized' });
    expect(throughAdmission(update(stored, wider, gitops))).toMatchObject({ reason: 'Authorized' });
  });

  it('when nothing but metadata changes is left to RBAC', () => {
    const labelled = { ...stored, metadata: { ...stored.metadata, labels: { team: 'x' } } };
    expect(throughAdmission(update(stored, labelled, carol))).toMatchObject({
      reason: 'Authorized',
    });
  });
});

describe('the stop button', () => {
  const running = capability('summarizer');
  const stopped = capability('summarizer', {
    suspend: true,
    suspendedBy: 'carol',
    suspendReason: 'drift',
  });

  it.each([
    ['a different human', carol],
    ['a ServiceAccount', robot],
    ['a trusted applier', gitops],
  ])('may be pressed by %s, who is stamped as suspendedBy', (_, user) => {
    const decision = throughAdmission(
      update(running, withSpec(running, { suspend: true, suspendReason: 'incident' }), user),
    );
    expect(decision).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(specField(decision.object, 'suspendedBy')).toBe(user.username);
  });

  it.each([
    ['a current holder', alice, true, 'Authorized'],
    ['a governance admin', admin, true, 'Authorized'],
    ['a different human', carol, false, 'NotRoleHolder'],
    ['a ServiceAccount', robot, false, 'NotHuman'],
    ['a trusted applier', gitops, false, 'NotHuman'],
  ])('is released (resume) only by a holder or an admin: %s', (_, user, allowed, reason) => {
    const decision = throughAdmission(update(stopped, withSpec(stopped, { suspend: false }), user));
    expect(decision).toMatchObject({ allowed, reason });
    if (allowed) {
      expect(specField(decision.object, 'resumedBy')).toBe(user.username);
      expect(specField(decision.object, 'suspendedBy')).toBe('carol');
    }
  });

  it('records who pressed it again after a resume', () => {
    const resumed = withSpec(stopped, { suspend: false, resumedBy: 'alice' });
    const decision = throughAdmission(update(resumed, withSpec(resumed, { suspend: true }), robot));
    expect(decision.allowed).toBe(true);
    expect(specField(decision.object, 'suspendedBy')).toBe(robot.username);
  });

  it('refuses a suspendedBy naming someone else', () => {
    const forged = withSpec(running, { suspend: true, suspendedBy: 'alice' });
    expect(throughAdmission(update(running, forged, carol))).toMatchObject({
      allowed: false,
      reason: 'StampForged',
    });
  });

  it('honours holders only while attested', () => {
    const snap = snapshot({ roles: [role(undefined, [holder('alice', '2026-06-01T00:00:00Z')])] });
    expect(
      throughAdmission(update(stopped, withSpec(stopped, { suspend: false }), alice), snap),
    ).toMatchObject({ reason: 'NotRoleHolder' });
  });

  it.each([
    ['a current holder', alice, true, 'Authorized'],
    ['a governance admin', admin, true, 'Authorized'],
    ['a trusted applier (GitOps)', gitops, true, 'Authorized'],
    ['a different human', carol, false, 'NotRoleHolder'],
    ['a ServiceAccount', robot, false, 'NotHuman'],
  ])('has its stopAction changed only by a holder or an admin: %s', (_, user, allowed, reason) => {
    const weaker = withSpec(running, { stopAction: 'DenyNew' });
    expect(throughAdmission(update(running, weaker, user))).toMatchObject({ allowed, reason });
    const pressed = withSpec(running, { suspend: true, stopAction: 'DenyNew' });
    expect(throughAdmission(update(running, pressed, user))).toMatchObject({ allowed, reason });
  });

  it('is pressed by anyone with the stopAction already stored', () => {
    const denyNew = withSpec(running, { stopAction: 'DenyNew' });
    expect(
      throughAdmission(update(denyNew, withSpec(denyNew, { suspend: true }), robot)),
    ).toMatchObject({ allowed: true });
  });
});
