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
  const operator = { username: 'system:serviceaccount:oos-system:oos', groups: [] };
  const withOperator = snapshot(
    { escalationPolicies: [escalationPolicy('risk-escalations')] },
    { operatorNamespace: 'oos-system', operatorUser: operator.username },
  );
  const asObject = (e: ReturnType<typeof open>) => e as unknown as Record<string, unknown>;

  it("is the operator's: it opens and advances escalations", () => {
    expect(
      throughAdmission(admission(asObject(open(0)), { user: operator }), withOperator),
    ).toMatchObject({ allowed: true, reason: 'Authorized' });
    const stored = open(1);
    expect(
      throughAdmission(
        update(stored, withSpec(stored, { summary: 'The cause, said anew.' }), operator),
        withOperator,
      ),
    ).toMatchObject({ allowed: true });
  });

  it.each([
    ['a ServiceAccount', robot],
    ['a person', carol],
    ['a governance admin', admin],
    ['a trusted applier', gitops],
  ])('is refused to %s: opening one first would choose its trigger and severity', (_, user) => {
    expect(throughAdmission(admission(asObject(open(0)), { user }), withOperator)).toMatchObject({
      allowed: false,
      reason: 'RecordNotOwned',
    });
  });

  it('refuses anyone but the operator a change of what it records or of its labels', () => {
    const stored = open(1);
    expect(
      throughAdmission(update(stored, withSpec(stored, { severity: 'Info' }), alice), withOperator),
    ).toMatchObject({ allowed: false, reason: 'RecordNotOwned' });
    const relabelled = {
      ...stored,
      metadata: { ...stored.metadata, labels: { 'oos.dev/escalation-key': 'another-cause' } },
    };
    expect(throughAdmission(update(stored, relabelled, alice), withOperator)).toMatchObject({
      allowed: false,
      reason: 'RecordNotOwned',
    });
  });

  it('never lets an acknowledgement be withdrawn or reworded', () => {
    const acknowledged = withSpec(open(1), {
      acknowledged: true,
      acknowledgedBy: 'alice',
      acknowledgementNote: 'On it.',
    });
    for (const change of [
      { acknowledged: false, acknowledgedBy: undefined, acknowledgementNote: undefined },
      { acknowledgementNote: 'Never mind.' },
    ]) {
      expect(
        throughAdmission(update(acknowledged, withSpec(acknowledged, change), alice), withOperator),
      ).toMatchObject({ allowed: false });
    }
  });
});
