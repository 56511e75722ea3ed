import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  alice,
  bob,
  carol,
  exemption,
  gitops,
  OPERATOR_NAMESPACE,
  robot,
  specField,
  throughAdmission,
  unstamped,
  update,
  withSpec,
  type InputOptions,
} from '../testing/fixtures.js';
import { exemptionDigest } from '../exemption-digest.js';
import type { Exemption } from '../../api/index.js';

const dana = { username: 'dana', groups: [] };
const request = unstamped(
  exemption('gpu-benchmark', {
    approved: false,
    approvedBy: undefined,
    capability: 'chat-assistant',
  }),
);
const create = (options: InputOptions, object: object = request) =>
  throughAdmission(admission(object as Record<string, unknown>, options));

describe('requesting an Exemption', () => {
  it('is for a person, stamped as requestedBy', () => {
    const decision = create({ user: carol });
    expect(decision).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(specField(decision.object, 'requestedBy')).toBe('carol');
  });

  it.each([
    ['a ServiceAccount', robot],
    ['a trusted applier', gitops],
  ])('is refused to %s', (_, user) => {
    expect(create({ user })).toMatchObject({ allowed: false, reason: 'NotHuman' });
  });

  it('cannot be approved by its own request', () => {
    expect(create({ user: alice }, withSpec(request, { approved: true }))).toMatchObject({
      allowed: false,
      reason: 'SelfApproval',
      message: expect.stringContaining(
        'cannot create Exemption ml/gpu-benchmark already approved',
      ) as unknown,
    });
  });

  it('lasts at most maxExemption (30 days by default)', () => {
    const decision = create(
      { user: carol },
      withSpec(request, { expiresAt: '2026-07-15T00:00:00Z' }),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'ExemptionTooLong' });
    expect(decision.message).toContain('longer than maxExemption 30d');
  });

  it('covers its own namespace, or any from the oos namespace', () => {
    const elsewhere = withSpec(request, { scope: { namespace: 'prod', names: ['x'] } });
    expect(create({ user: carol }, elsewhere)).toMatchObject({
      allowed: false,
      reason: 'ExemptionOutOfScope',
    });
    const central = { ...elsewhere, metadata: { name: 'central', namespace: OPERATOR_NAMESPACE } };
    expect(create({ user: carol }, central)).toMatchObject({ allowed: true });
  });

  it('refuses a requestedBy naming someone else', () => {
    expect(create({ user: carol }, withSpec(request, { requestedBy: 'alice' }))).toMatchObject({
      reason: 'StampForged',
    });
  });
});

describe('approving an Exemption', () => {
  const pending = withSpec(request, { requestedBy: 'carol' });
  const approval = (stored: Exemption) => ({
    approved: true,
    approvedDigest: exemptionDigest(stored.spec),
  });
  const approve = (user: typeof alice, stored = pending) =>
    throughAdmission(update(stored, withSpec(stored, approval(stored)), user));

  it.each([
    ['a current holder of the capability’s role', alice, true, 'Authorized'],
    ['a governance admin', admin, true, 'Authorized'],
    ['the requester', carol, false, 'SelfApproval'],
    ['a holder whose attestation lapsed', bob, false, 'NotRoleHolder'],
    ['a holder of another role', dana, false, 'NotRoleHolder'],
    ['a ServiceAccount', robot, false, 'NotHuman'],
    ['a trusted applier', gitops, false, 'NotHuman'],
  ])('by %s', (_, user, allowed, reason) => {
    const decision = approve(user);
    expect(decision).toMatchObject({ allowed, reason });
    if (allowed) expect(specField(decision.object, 'approvedBy')).toBe(user.username);
  });

  it('by the requester, even one who holds the role or is an admin', () => {
    const byAdmin = withSpec(pending, { requestedBy: admin.username });
    expect(approve(admin, byAdmin)).toMatchObject({ reason: 'SelfApproval' });
  });

  it('that names no capability: governance admins only', () => {
    const general = withSpec(pending, { capability: undefined });
    expect(approve(alice, general)).toMatchObject({
      reason: 'NotRoleHolder',
      message: expect.stringContaining('only a governance admin') as unknown,
    });
    expect(approve(admin, general)).toMatchObject({ reason: 'Authorized' });
  });

  it('of a capability that does not exist: governance admins only', () => {
    const ghost = withSpec(pending, { capability: 'ghost' });
    expect(approve(alice, ghost)).toMatchObject({ reason: 'CapabilityNotFound' });
    expect(approve(admin, ghost)).toMatchObject({ reason: 'Authorized' });
  });

  it('refuses an approvedBy naming someone else', () => {
    const forged = withSpec(pending, { ...approval(pending), approvedBy: 'dana' });
    expect(throughAdmission(update(pending, forged, alice))).toMatchObject({
      reason: 'StampForged',
    });
  });

  it('leaves other changes of a pending exemption to RBAC', () => {
    const narrowed = withSpec(pending, { scope: { names: ['one'] } });
    expect(throughAdmission(update(pending, narrowed, carol))).toMatchObject({
      reason: 'Authorized',
    });
  });
});

describe('an approval is bound to what was reviewed', () => {
  const pending = withSpec(request, { requestedBy: 'carol' });
  const reviewed = exemptionDigest(pending.spec);
  const widened = withSpec(pending, {
    scope: {
      kinds: [{ group: 'apps', kind: 'Deployment' }],
      selector: { matchLabels: { a: 'b' } },
    },
  });

  it('names the content it approves: without approvedDigest it is refused, with the digest', () => {
    const decision = throughAdmission(
      update(pending, withSpec(pending, { approved: true }), alice),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'ApprovalNotBound' });
    expect(decision.message).toContain(`approvedDigest: ${reviewed}`);
    expect(decision.message).toContain('kinds [{"group":"apps","kind":"Deployment"}]');
  });

  it('is refused when the scope was widened after the approver looked (the approver’s view)', () => {
    const late = withSpec(widened, { approved: true, approvedDigest: reviewed });
    const decision = throughAdmission(update(widened, late, alice));
    expect(decision).toMatchObject({ allowed: false, reason: 'ApprovalNotBound' });
    expect(decision.message).toContain('the content changed');
  });

  it.each([
    ['the scope', { scope: { names: ['other'] } }],
    ['expiresAt', { expiresAt: '2026-06-05T00:00:00Z' }],
    ['the justification', { justification: 'Something else.' }],
    ['the capability', { capability: 'forecasting' }],
  ])('may not change %s in the approving request', (_, change) => {
    const both = withSpec(pending, { approved: true, approvedDigest: reviewed, ...change });
    expect(throughAdmission(update(pending, both, alice))).toMatchObject({
      allowed: false,
      reason: 'ApprovalNotBound',
    });
  });

  it('once approved, the content and the digest stay as approved (shortening included)', () => {
    const approved = exemption('gpu-benchmark', { capability: 'chat-assistant' });
    for (const change of [
      { expiresAt: '2026-06-05T00:00:00Z' },
      { scope: { names: ['other'] } },
      { approvedDigest: `sha256:${'0'.repeat(64)}` },
    ]) {
      const decision = throughAdmission(update(approved, withSpec(approved, change), alice));
      expect(decision, JSON.stringify(change) + decision.message).toMatchObject({
        allowed: false,
        reason: 'ApprovalNotBound',
      });
    }
  });

  it('cannot approve an exemption whose requester was never stamped', () => {
    const unknown = withSpec(pending, { requestedBy: undefined });
    const decision = throughAdmission(
      update(unknown, withSpec(unknown, { approved: true, approvedDigest: reviewed }), alice),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'StampMissing' });
  });
});

describe('Exemptions in the oos namespace follow the same rules', () => {
  const central = (spec: object = {}) => ({
    ...withSpec(request, { scope: { namespace: 'prod', names: ['x'] }, ...spec }),
    metadata: { name: 'central', namespace: OPERATOR_NAMESPACE },
  });

  it('refuses a forged approvedBy or requestedBy', () => {
    expect(create({ user: carol }, central({ requestedBy: 'alice' }))).toMatchObject({
      allowed: false,
      reason: 'StampForged',
    });
    expect(create({ user: carol }, central({ approved: true, approvedBy: 'gina' }))).toMatchObject({
      allowed: false,
      reason: 'SelfApproval',
    });
  });

  it('applies maxExemption', () => {
    expect(create({ user: carol }, central({ expiresAt: '2026-09-01T00:00:00Z' }))).toMatchObject({
      allowed: false,
      reason: 'ExemptionTooLong',
    });
  });

  it('is requested by a person only', () => {
    expect(create({ user: robot }, central())).toMatchObject({
      allowed: false,
      reason: 'NotHuman',
    });
  });
});

describe('an Exemption is narrow', () => {
  it.each([
    ['an empty selector', { selector: {} }],
    ['a selector with empty lists', { selector: { matchLabels: {}, matchExpressions: [] } }],
    ['empty kinds and names', { kinds: [], names: [] }],
  ])('refuses %s', (_, scope) => {
    expect(create({ user: carol }, withSpec(request, { scope }))).toMatchObject({
      allowed: false,
      reason: 'InvalidObject',
    });
  });

  it('accepts a selector with a label', () => {
    const scope = { selector: { matchLabels: { app: 'bench' } } };
    expect(create({ user: carol }, withSpec(request, { scope }))).toMatchObject({ allowed: true });
  });
});
