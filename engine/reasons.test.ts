import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { Decision } from './decision.js';
import { CHAIN_FAILURES, REASON_CODES, type ReasonCode } from './reasons.js';
import {
  admin,
  admission,
  alice,
  update,
  anchoredOptions,
  capability,
  carol,
  delegation,
  deployment,
  escalation,
  exemption,
  holder,
  NOW,
  policy,
  robot,
  role,
  snapshot,
  throughAdmission,
  unstamped,
  withSpec,
  type WorkloadOptions,
} from './testing/fixtures.js';

const workload = (options: WorkloadOptions, overrides = {}) =>
  decide(admission(deployment({ ...anchoredOptions, ...options })), snapshot(overrides), NOW);
const grant = unstamped(delegation('grant'));

/** ml/scoring is High risk; no Autonomous capability may call a High-risk one. */
const coordinated = (posture: 'Open' | 'Closed' = 'Open') =>
  snapshot({
    capabilities: [capability(), capability('scoring', { riskTier: 'High' })],
    policies: [
      policy({
        coordination: {
          posture,
          forbiddenEdges: [
            {
              name: 'autonomous-to-high',
              from: { autonomy: ['Autonomous'] },
              to: { riskTiers: ['High'] },
              reason: 'No autonomous agent drives a high-risk model.',
            },
          ],
        },
      }),
    ],
  });
const networkPolicy = (spec: object, labels: Record<string, string> = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'np', namespace: 'ml', labels },
  spec: { podSelector: {}, ...spec },
});

/** One request per reason code, each producing exactly that code. */
const CATALOG: Record<ReasonCode, () => Decision> = {
  NotAIWorkload: () => decide(admission(deployment()), snapshot(), NOW),
  Exempted: () => workload({ namespace: 'kube-system' }),
  AnchorMissing: () => workload({ labels: {}, templateLabels: {} }),
  CapabilityNotFound: () => workload({ labels: { 'oos.dev/capability': 'ghost' } }),
  CapabilitySuspended: () =>
    workload({}, { capabilities: [capability(undefined, { suspend: true })] }),
  AccountableRoleNotFound: () => workload({}, { roles: [] }),
  AccountabilityVacant: () =>
    workload({}, { roles: [role(undefined, [holder('alice', '2026-01-01T00:00:00Z')])] }),
  DelegationMissing: () => workload({ serviceAccount: 'other' }),
  DelegationExpired: () =>
    workload({}, { delegations: [delegation(undefined, { validUntil: '2026-06-01T00:00:00Z' })] }),
  DelegationNotYetValid: () =>
    workload({}, { delegations: [delegation(undefined, { validFrom: '2026-06-02T00:00:00Z' })] }),
  DelegationRevoked: () =>
    workload({}, { delegations: [delegation(undefined, { revoked: true })] }),
  BoundaryViolation: () =>
    workload(
      { replicas: 3 },
      { capabilities: [capability(undefined, { boundaries: { maxReplicas: 1 } })] },
    ),
  Anchored: () => workload({}),
  Authorized: () => throughAdmission(admission(grant, { user: alice })),
  NotHuman: () => throughAdmission(admission(grant, { user: robot })),
  NotRoleHolder: () => throughAdmission(admission(grant, { user: carol })),
  SelfApproval: () => throughAdmission(admission(unstamped(exemption('e')), { user: carol })),
  HolderNotHuman: () =>
    throughAdmission(
      admission(role('ops', [holder('deploy-bot')])),
      snapshot({ policies: [policy({ trustedAppliers: { users: ['deploy-bot'] } })] }),
    ),
  StampForged: () =>
    throughAdmission(admission(withSpec(grant, { grantedBy: 'bob' }), { user: alice })),
  StampMissing: () => decide(admission(grant, { user: alice }), snapshot(), NOW),
  DelegationTooLong: () =>
    throughAdmission(
      admission(withSpec(grant, { validUntil: '2027-01-01T00:00:00Z' }), { user: alice }),
    ),
  ExemptionTooLong: () =>
    throughAdmission(
      admission(
        unstamped(
          exemption('e', {
            approved: false,
            approvedBy: undefined,
            expiresAt: '2026-12-01T00:00:00Z',
          }),
        ),
        { user: carol },
      ),
    ),
  ExemptionOutOfScope: () =>
    throughAdmission(
      admission(
        unstamped(
          exemption('e', {
            approved: false,
            approvedBy: undefined,
            scope: { namespace: 'prod', names: ['x'] },
          }),
        ),
        { user: carol },
      ),
    ),
  NotGovernanceAdmin: () => throughAdmission(admission(policy(), { user: carol })),
  SelfAppointment: () =>
    throughAdmission(admission(role('ops', [holder('gina')]), { user: admin })),
  ApprovalNotBound: () => {
    const pending = exemption('e', { approved: false, approvedBy: undefined });
    return throughAdmission(update(pending, withSpec(pending, { approved: true }), alice));
  },
  IdentifyingFieldChanged: () => {
    const stored = escalation('x');
    return throughAdmission(
      update(stored, withSpec(stored, { accountableRole: 'chief-risk-officer' }), alice),
    );
  },
  RecordNotOwned: () => throughAdmission(admission(escalation('forged'), { user: alice })),
  StatusNotOwned: () =>
    decide(
      admission(escalation('e'), {
        operation: 'UPDATE',
        oldObject: escalation('e'),
        user: robot,
        subResource: 'status',
      }),
      snapshot(),
      NOW,
    ),
  EvidenceRetained: () =>
    decide(
      {
        ...admission(escalation('e'), {
          operation: 'DELETE',
          oldObject: escalation('e'),
          user: alice,
        }),
        object: null,
      },
      snapshot(),
      NOW,
    ),
  NamespaceLabelGoverned: () =>
    decide(
      admission(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'x', labels: { environment: 'sandbox' } },
        },
        { user: carol },
      ),
      snapshot({
        policies: [
          policy({
            enforcementRules: [
              {
                namespaceSelector: { matchLabels: { environment: 'sandbox' } },
                enforcement: 'Warn',
              },
            ],
          }),
        ],
      }),
      NOW,
    ),
  InteractionForbidden: () => {
    const agent = capability('agent', { autonomy: 'Autonomous' });
    const calls = withSpec(agent, {
      interactions: {
        calls: [
          { namespace: 'ml', capability: 'scoring', ports: [{ port: 80 }], justification: 'x' },
        ],
      },
    });
    return throughAdmission(update(agent, calls, alice), coordinated());
  },
  EndpointNotFound: () => {
    const chat = capability();
    const egress = [{ name: 'p', endpoint: 'ghost', justification: 'x' }];
    return throughAdmission(
      update(chat, withSpec(chat, { interactions: { egress } }), alice),
      coordinated(),
    );
  },
  PostureNotAllowed: () => {
    const chat = capability();
    return throughAdmission(
      update(chat, withSpec(chat, { interactions: { posture: 'Open' } }), alice),
      coordinated('Closed'),
    );
  },
  NetworkPolicyWidensCapability: () =>
    decide(admission(networkPolicy({ ingress: [{}] })), coordinated('Closed'), NOW),
  ManagedByOos: () =>
    decide(
      admission(networkPolicy({}, { 'oos.dev/managed-by': 'oos' })),
      coordinated('Closed'),
      NOW,
    ),
  NotGoverned: () =>
    decide({ ...admission(deployment(anchoredOptions)), operation: 'DELETE' }, snapshot(), NOW),
  InvalidObject: () => decide({ ...admission(deployment()), object: null }, snapshot(), NOW),
  StateForged: () =>
    decide(
      admission({
        ...deployment(),
        metadata: { name: 'app', annotations: { 'oos.dev/replicas-before-suspend': '40' } },
      }),
      snapshot(),
      NOW,
    ),
  ScaleTargetUnknown: () =>
    decide(
      {
        ...admission({
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: 'app', namespace: 'ml' },
          spec: { replicas: 9 },
        }),
        operation: 'UPDATE',
        subResource: 'scale',
      },
      snapshot(),
      NOW,
    ),
  ObjectTooComplex: () => {
    let spec: Record<string, unknown> = { leaf: true };
    for (let depth = 0; depth < 40; depth += 1) spec = { nested: spec };
    const deep = { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'r' }, spec };
    return decide(admission(deep), snapshot(), NOW);
  },
};

describe('reason codes', () => {
  it('count exactly the anchor chain failures as what the enforcement mode softens', () => {
    expect([...CHAIN_FAILURES]).toEqual([
      'AnchorMissing',
      'CapabilityNotFound',
      'CapabilitySuspended',
      'AccountableRoleNotFound',
      'AccountabilityVacant',
      'DelegationMissing',
      'DelegationExpired',
      'DelegationNotYetValid',
      'DelegationRevoked',
      'BoundaryViolation',
    ]);
  });

  it('are unique', () => {
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
  });

  it.each(Object.entries(CATALOG))('%s is produced, with a message', (code, scenario) => {
    const decision = scenario();
    expect(decision.reason).toBe(code);
    expect(decision.message).toMatch(/[.]$/);
  });

  it('each have a scenario above', () => {
    expect(Object.keys(CATALOG).sort()).toEqual([...REASON_CODES].sort());
  });
});
