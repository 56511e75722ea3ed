import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { AdmissionInput, Identity } from '../input.js';
import {
  admin,
  alice,
  bob,
  capability,
  carol,
  delegation,
  escalation,
  exemption,
  gitops,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  robot,
  role,
  snapshot,
  type InputOptions,
} from '../testing/fixtures.js';

const OPERATOR: Identity = { username: 'system:serviceaccount:oos-system:oos', groups: [] };
const NAMESPACE_CONTROLLER: Identity = {
  username: 'system:serviceaccount:kube-system:namespace-controller',
  groups: ['system:serviceaccounts'],
};
const snap = (overrides = {}) =>
  snapshot(overrides, { operatorNamespace: OPERATOR_NAMESPACE, operatorUser: OPERATOR.username });

function request(
  object: { kind: string; metadata: object },
  options: InputOptions & { terminating?: boolean },
): AdmissionInput {
  const kind = { group: 'oos.dev', version: 'v1alpha1', kind: object.kind };
  const metadata = object.metadata as { name: string; namespace?: string };
  return {
    operation: options.operation ?? 'DELETE',
    kind,
    name: metadata.name,
    ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
    object: options.operation === 'DELETE' || options.operation === undefined ? null : object,
    oldObject: options.oldObject ?? object,
    userInfo: options.user ?? alice,
    ...(options.subResource === undefined ? {} : { subResource: options.subResource }),
    ...(options.terminating === undefined ? {} : { namespaceTerminating: options.terminating }),
  };
}

const judge = (input: AdmissionInput, now = NOW) => decide(input, snap(), now);

describe('the status of the oos kinds', () => {
  const open = escalation('e', {}, { level: 1 });
  const resolved = escalation('e', {}, { level: 1, resolvedAt: '2026-06-01T11:00:00Z' });

  it.each([
    ['a ServiceAccount', robot],
    ['a role holder', alice],
    ['a governance admin', admin],
    ['a trusted applier', gitops],
    ['a system identity', NAMESPACE_CONTROLLER],
  ])('is refused to %s', (_who, user) => {
    const decision = judge(
      request(resolved, { operation: 'UPDATE', oldObject: open, user, subResource: 'status' }),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'StatusNotOwned' });
    expect(decision.message).toContain('written by the oos operator alone');
  });

  it('is written by the operator', () => {
    const decision = judge(
      request(resolved, {
        operation: 'UPDATE',
        oldObject: open,
        user: OPERATOR,
        subResource: 'status',
      }),
    );
    expect(decision).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('is refused on every kind, even when nothing changes', () => {
    const cap = capability();
    for (const object of [cap, delegation(), exemption('x')]) {
      const decision = judge(
        request(object, {
          operation: 'UPDATE',
          oldObject: object,
          user: carol,
          subResource: 'status',
        }),
      );
      expect(decision.reason).toBe('StatusNotOwned');
    }
  });

  it('is refused to everyone when the operator is not known', () => {
    const input = request(resolved, {
      operation: 'UPDATE',
      oldObject: open,
      user: OPERATOR,
      subResource: 'status',
    });
    expect(decide(input, snapshot(), NOW).reason).toBe('StatusNotOwned');
  });
});

describe('deleting an Escalation', () => {
  const acknowledged = escalation(
    'e',
    { acknowledged: true, acknowledgedBy: 'alice' },
    { level: 2 },
  );

  it.each([
    ['a ServiceAccount', robot],
    ['the holder who acknowledged it', alice],
    ['a governance admin', admin],
    ['a trusted applier', gitops],
  ])('is refused to %s: only the operator deletes evidence', (_who, user) => {
    const decision = judge(request(acknowledged, { user }));
    expect(decision).toMatchObject({ allowed: false, reason: 'EvidenceRetained' });
    expect(decision.message).toContain('only the oos operator deletes it');
  });

  it('is the operator’s, after the retention', () => {
    expect(judge(request(acknowledged, { user: OPERATOR })).allowed).toBe(true);
  });

  it('is allowed to anyone in a namespace being deleted', () => {
    const decision = judge(
      request(acknowledged, { user: NAMESPACE_CONTROLLER, terminating: true }),
    );
    expect(decision).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('reads nothing from the object: an unreadable stored one is refused too', () => {
    const input = { ...request(acknowledged, { user: carol }), oldObject: 'garbage' };
    expect(judge(input).reason).toBe('EvidenceRetained');
  });
});

describe('deleting a Delegation', () => {
  // NOW is 2026-06-01; the fixture delegation runs to 2026-07-01; retention defaults to 180d.
  it('is refused while it runs, saying to revoke it instead', () => {
    const decision = judge(request(delegation(), { user: alice }));
    expect(decision).toMatchObject({ allowed: false, reason: 'EvidenceRetained' });
    expect(decision.message).toContain('revoke it instead');
    expect(decision.message).toContain('2026-12-28T00:00:00Z');
  });

  it('is refused when revoked or expired but still within its retention', () => {
    for (const spec of [{ revoked: true }, { validUntil: '2026-05-20T00:00:00Z' }]) {
      expect(judge(request(delegation(undefined, spec), { user: alice })).reason).toBe(
        'EvidenceRetained',
      );
    }
  });

  it('is allowed to anyone once its retention has passed', () => {
    const old = delegation(undefined, {
      validFrom: '2025-01-01T00:00:00Z',
      validUntil: '2025-03-01T00:00:00Z',
    });
    expect(judge(request(old, { user: robot }))).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('follows the policy’s evidenceRetention', () => {
    const ended = delegation(undefined, { validUntil: '2026-05-20T00:00:00Z' });
    expect(judge(request(ended, { user: carol })).reason).toBe('EvidenceRetained');
    const week = snap({ policies: [policy({ evidenceRetention: '7d' })] });
    expect(decide(request(ended, { user: carol }), week, NOW)).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('goes with its namespace, and is the operator’s', () => {
    expect(
      judge(request(delegation(), { user: NAMESPACE_CONTROLLER, terminating: true })).allowed,
    ).toBe(true);
    expect(judge(request(delegation(), { user: OPERATOR })).allowed).toBe(true);
  });
});

describe('deleting an Exemption', () => {
  it('is refused once approved, until its retention has passed', () => {
    const decision = judge(request(exemption('x'), { user: admin }));
    expect(decision).toMatchObject({ allowed: false, reason: 'EvidenceRetained' });
    const old = exemption('x', { expiresAt: '2025-06-01T00:00:00Z' });
    expect(judge(request(old, { user: carol })).allowed).toBe(true);
  });

  it('is open while it was never approved: withdrawing a request erases no approval', () => {
    const pending = exemption('x', { approved: false, approvedBy: undefined });
    expect(judge(request(pending, { user: carol }))).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });
});

describe('deleting a Capability', () => {
  const suspended = capability(undefined, { suspend: true, suspendedBy: 'carol' });

  it.each([
    ['a ServiceAccount', robot, 'NotHuman'],
    ['a trusted applier', gitops, 'NotHuman'],
    ['a person who holds no role', carol, 'NotRoleHolder'],
    ['a holder whose attestation lapsed', bob, 'NotRoleHolder'],
  ])('is refused to %s while it is suspended', (_who, user, reason) => {
    const decision = judge(request(suspended, { user }));
    expect(decision).toMatchObject({ allowed: false, reason });
    expect(decision.message).toContain('release its workloads');
  });

  it.each([
    ['a current holder', alice],
    ['a governance admin', admin],
    ['the operator', OPERATOR],
  ])('is allowed to %s while it is suspended', (_who, user) => {
    expect(judge(request(suspended, { user })).allowed).toBe(true);
  });

  it('is left to RBAC while it is active: deleting it stops its workloads', () => {
    expect(judge(request(capability(), { user: robot }))).toMatchObject({
      allowed: true,
      reason: 'NotGoverned',
    });
  });
});

describe('deleting the operating model (the GovernancePolicy, an AccountableRole)', () => {
  const withPolicy = snap({ policies: [policy()] });

  it.each([
    ['the GovernancePolicy', policy()],
    ['an AccountableRole', role('credit-risk-officer', [])],
  ])('is refused to people and machines who may not change %s', (_what, object) => {
    for (const user of [alice, carol, robot]) {
      const decision = decide(request(object, { user }), withPolicy, NOW);
      expect(decision.allowed).toBe(false);
      expect(decision.reason).toBe('NotGovernanceAdmin');
    }
  });

  it.each([
    ['a governance admin', admin],
    ['a trusted applier', gitops],
    ['the operator', OPERATOR],
  ])('is allowed to %s', (_who, user) => {
    expect(decide(request(policy(), { user }), withPolicy, NOW).allowed).toBe(true);
  });
});
