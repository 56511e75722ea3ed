import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  alice,
  carol,
  escalation,
  escalationPolicy,
  gitops,
  robot,
  snapshot,
  specField,
  throughAdmission,
  update,
  withSpec,
} from '../testing/fixtures.js';

const dana = { username: 'dana', groups: [] };
const snap = snapshot({ escalationPolicies: [escalationPolicy('risk-escalations')] });
const open = (level: number) =>
  escalation('delegation-expired-x', { policy: 'risk-escalations' }, { level });
const acknowledge = (user: typeof alice, stored = open(1)) =>
  throughAdmission(
    update(stored, withSpec(stored, { acknowledged: true, acknowledgementNote: 'On it.' }), user),
    snap,
  );

describe('acknowledging an Escalation', () => {
  it.each([
    ['a current holder of the accountable role', alice, true, 'Authorized'],
    ['a governance admin', admin, true, 'Authorized'],
    ['a different human', carol, false, 'NotRoleHolder'],
    ['a holder of a role not notified yet', dana, false, 'NotRoleHolder'],
    ['a ServiceAccount', robot, false, 'NotHuman'],
    ['a trusted applier', gitops, false, 'NotHuman'],
  ])('at level 1, by %s', (_, user, allowed, reason) => {
    const decision = acknowledge(user);
    expect(decision).toMatchObject({ allowed, reason });
    if (allowed) expect(specField(decision.object, 'acknowledgedBy')).toBe(user.username);
  });

  it('at level 2, by a holder of a role that level notifies', () => {
    expect(acknowledge(dana, open(2))).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('reads the level from the stored status, not from the request', () => {
    const stored = open(1);
    const claimed = { ...withSpec(stored, { acknowledged: true }), status: { level: 2 } };
    expect(throughAdmission(update(stored, claimed, dana), snap)).toMatchObject({
      reason: 'NotRoleHolder',
    });
  });

  it('of an escalation with no accountable role: admins only', () => {
    const orphan = escalation('vacant', { capability: undefined });
    expect(acknowledge(alice, orphan)).toMatchObject({
      reason: 'NotRoleHolder',
      message: expect.stringContaining('only a governance admin') as unknown,
    });
    expect(acknowledge(admin, orphan)).toMatchObject({ reason: 'Authorized' });
  });

  it('uses the accountable role the escalation names', () => {
    const named = escalation('named', {
      capability: undefined,
      accountableRole: 'chief-risk-officer',
    });
    expect(acknowledge(dana, named)).toMatchObject({ reason: 'Authorized' });
  });

  it('refuses an acknowledgedBy naming someone else', () => {
    const stored = open(1);
    const forged = withSpec(stored, { acknowledged: true, acknowledgedBy: 'dana' });
    expect(throughAdmission(update(stored, forged, alice), snap)).toMatchObject({
      reason: 'StampForged',
    });
  });
});

describe('the fields that decide who answers for an Escalation', () => {
  const stored = escalation('named', {
    capability: undefined,
    accountableRole: 'chief-risk-officer',
  });

  it.each([
    ['accountableRole rewritten', { accountableRole: 'model-risk-officer' }],
    [
      'accountableRole removed (falling back to the capability)',
      { accountableRole: undefined, capability: 'chat-assistant' },
    ],
    ['capability added', { capability: 'chat-assistant' }],
    ['policy added', { policy: 'risk-escalations' }],
  ])('are immutable: %s', (_, change) => {
    expect(throughAdmission(update(stored, withSpec(stored, change), robot), snap)).toMatchObject({
      allowed: false,
      reason: 'IdentifyingFieldChanged',
    });
  });

  it('decide acknowledgement from the stored object, even when rewritten in the same request', () => {
    const rewritten = withSpec(stored, {
      accountableRole: 'model-risk-officer',
      acknowledged: true,
    });
    const decision = throughAdmission(update(stored, rewritten, alice), snap);
    expect(decision).toMatchObject({ allowed: false, reason: 'IdentifyingFieldChanged' });
    expect(acknowledge(alice, stored)).toMatchObject({ allowed: false, reason: 'NotRoleHolder' });
  });
});

describe('opening and advancing an Escalation', () => {
  it('is left to RBAC (the controller does it)', () => {
    expect(
      throughAdmission(
        admission(open(0) as unknown as Record<string, unknown>, { user: robot }),
        snap,
      ),
    ).toMatchObject({ allowed: true, reason: 'Authorized' });
    const stored = open(1);
    expect(
      throughAdmission(update(stored, withSpec(stored, { severity: 'Warning' }), robot), snap),
    ).toMatchObject({ allowed: true });
  });
});
