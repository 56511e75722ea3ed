import { describe, expect, it } from 'vitest';
import {
  admin,
  admission,
  alice,
  bob,
  carol,
  capability,
  delegation,
  gitops,
  kubeSystem,
  robot,
  snapshot,
  specField,
  throughAdmission,
  unstamped,
  update,
  withSpec,
  type InputOptions,
} from '../testing/fixtures.js';
import { decide } from '../decide.js';
import { NOW } from '../testing/fixtures.js';

const request = unstamped(
  delegation('new-grant', {
    validFrom: '2026-06-01T00:00:00Z',
    validUntil: '2026-08-01T00:00:00Z',
  }),
);
const create = (options: InputOptions, object: object = request) =>
  throughAdmission(admission(object as Record<string, unknown>, options));

describe('granting a Delegation', () => {
  it('is for a current holder of the capability’s accountable role, stamped as grantedBy', () => {
    const decision = create({ user: alice });
    expect(decision).toMatchObject({ allowed: true, reason: 'Authorized', mode: 'Enforce' });
    expect(specField(decision.object, 'grantedBy')).toBe('alice');
  });

  it.each([
    ['a different human', carol, 'NotRoleHolder'],
    ['a holder whose attestation lapsed', bob, 'NotRoleHolder'],
    ['a governance admin (never a stand-in for the holder)', admin, 'NotRoleHolder'],
    ['a ServiceAccount (a machine never grants execution)', robot, 'NotHuman'],
    ['a trusted applier', gitops, 'NotHuman'],
    ['a system: identity', kubeSystem, 'NotHuman'],
  ])('is refused to %s', (_, user, reason) => {
    expect(create({ user })).toMatchObject({ allowed: false, reason });
  });

  it('names the holders who can grant it', () => {
    expect(create({ user: carol }).message).toBe(
      'carol cannot grant Delegation ml/new-grant: only a current holder of role model-risk-officer (alice) may.',
    );
    expect(create({ user: gitops }).message).toContain(
      'trusted appliers apply governance objects but are never the person who answers for them',
    );
  });

  it('needs the capability and its role to exist', () => {
    expect(create({ user: alice }, withSpec(request, { capability: 'ghost' }))).toMatchObject({
      reason: 'CapabilityNotFound',
    });
    expect(create({ user: robot }, withSpec(request, { capability: 'ghost' }))).toMatchObject({
      reason: 'NotHuman',
    });
    const orphan = snapshot({
      capabilities: [capability(undefined, { accountableRole: 'ghost' })],
    });
    expect(
      throughAdmission(
        admission(request as unknown as Record<string, unknown>, { user: alice }),
        orphan,
      ),
    ).toMatchObject({ reason: 'AccountableRoleNotFound' });
  });

  it('is bounded by maxDelegation (90 days by default), from validFrom or from now', () => {
    const long = withSpec(request, { validUntil: '2026-09-01T00:00:00Z' });
    const decision = create({ user: alice }, long);
    expect(decision.reason).toBe('DelegationTooLong');
    expect(decision.message).toContain('set validUntil to 2026-08-30T00:00:00Z or earlier');
    const fromNow = withSpec(request, { validFrom: undefined, validUntil: '2026-08-30T12:00:00Z' });
    expect(create({ user: alice }, fromNow)).toMatchObject({ reason: 'Authorized' });
    expect(
      create({ user: alice }, withSpec(fromNow, { validUntil: '2026-08-30T12:00:01Z' })),
    ).toMatchObject({ reason: 'DelegationTooLong' });
  });

  it('refuses a grantedBy typed by hand', () => {
    expect(create({ user: alice }, withSpec(request, { grantedBy: 'bob' }))).toMatchObject({
      allowed: false,
      reason: 'StampForged',
    });
  });

  it('needs the stamp of the mutating webhook', () => {
    expect(
      decide(
        admission(request as unknown as Record<string, unknown>, { user: alice }),
        snapshot(),
        NOW,
      ),
    ).toMatchObject({ reason: 'StampMissing' });
  });

  it('refuses an object that does not match the schema', () => {
    const broken = withSpec(request, { validUntil: 'tomorrow' });
    const decision = create({ user: alice }, broken);
    expect(decision).toMatchObject({ allowed: false, reason: 'InvalidObject' });
    expect(decision.message).toContain('spec.validUntil');
  });
});

describe('changing a Delegation', () => {
  const stored = delegation('grant', { grantedBy: 'alice' });

  it.each([
    ['revoke', { revoked: true }],
    ['shorten', { validUntil: '2026-06-15T00:00:00Z' }],
    ['start later', { validFrom: '2026-05-15T00:00:00Z' }],
  ])('anyone may %s it', (_, change) => {
    expect(throughAdmission(update(stored, withSpec(stored, change), robot))).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('needs a current holder to widen or rewrite it', () => {
    const earlier = withSpec(stored, { validFrom: '2026-04-15T00:00:00Z' });
    expect(throughAdmission(update(stored, earlier, carol))).toMatchObject({
      reason: 'NotRoleHolder',
    });
    expect(throughAdmission(update(stored, earlier, alice))).toMatchObject({
      reason: 'Authorized',
    });
    const reworded = withSpec(stored, { justification: 'Something else.' });
    expect(throughAdmission(update(stored, reworded, robot))).toMatchObject({ reason: 'NotHuman' });
  });

  it('keeps grantedBy: restored when dropped, refused when changed', () => {
    const dropped = throughAdmission(
      update(stored, withSpec(stored, { grantedBy: undefined, revoked: true }), carol),
    );
    expect(dropped).toMatchObject({ allowed: true });
    expect(specField(dropped.object, 'grantedBy')).toBe('alice');
    expect(
      throughAdmission(update(stored, withSpec(stored, { grantedBy: 'carol' }), carol)),
    ).toMatchObject({ reason: 'StampForged' });
  });
});
