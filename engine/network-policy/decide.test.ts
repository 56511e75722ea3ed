import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/index.js';
import { decide } from '../decide.js';
import type { Identity } from '../input.js';
import {
  admin,
  admission,
  alice,
  capability,
  gitops,
  NOW,
  policy,
  snapshot,
  withSpec,
  type InputOptions,
} from '../testing/fixtures.js';

// NetworkPolicies cannot widen a Closed capability, and the ones oos owns are the operator's.
// In ml: `isolated` is Closed by its own posture, `chat-assistant` and `forecasting` are Open.
const OPERATOR = 'system:serviceaccount:oos-system:oos';
const K = 'oos.dev/capability';
const isolated = withSpec(capability('isolated'), { interactions: { posture: 'Closed' } });
const world = (posture: 'Open' | 'Closed' = 'Open', extra: Capability[] = []) =>
  snapshot(
    {
      capabilities: [capability(), capability('forecasting'), isolated, ...extra],
      policies: [policy({ coordination: { posture } })],
    },
    { operatorNamespace: 'oos-system', operatorUser: OPERATOR },
  );

type Selector = Record<string, unknown>;
const ALLOW_ALL_INGRESS = { ingress: [{}] };
const netpol = (
  podSelector: Selector,
  rules: Record<string, unknown> = ALLOW_ALL_INGRESS,
  labels: Record<string, string> = {},
  name = 'open-up',
) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'ml', labels },
  spec: { podSelector, policyTypes: ['Ingress', 'Egress'], ...rules },
});
const managed = netpol(
  { matchLabels: { [K]: 'isolated' } },
  { ingress: [], egress: [] },
  { 'oos.dev/managed-by': 'oos' },
  'oos-interactions-isolated',
);
const operator: Identity = { username: OPERATOR, groups: ['system:serviceaccounts'] };
const judge = (object: unknown, options: InputOptions = {}, state = world()) =>
  decide(admission(object as Record<string, unknown>, { user: alice, ...options }), state, NOW);
const remove = (stored: unknown, user: Identity, extra: object = {}, state = world()) =>
  decide(
    {
      ...admission(stored as Record<string, unknown>, {
        operation: 'DELETE',
        oldObject: stored,
        user,
      }),
      object: null,
      ...extra,
    },
    state,
    NOW,
  );

describe('a NetworkPolicy that allows traffic', () => {
  it.each([
    ['the empty podSelector', {}],
    ['matchLabels of another label', { matchLabels: { app: 'web' } }],
    ['matchLabels naming the Closed capability', { matchLabels: { [K]: 'isolated' } }],
    [
      'In a list holding the Closed capability',
      { matchExpressions: [{ key: K, operator: 'In', values: ['chat-assistant', 'isolated'] }] },
    ],
    ['Exists', { matchExpressions: [{ key: K, operator: 'Exists' }] }],
    [
      'NotIn a list without it',
      { matchExpressions: [{ key: K, operator: 'NotIn', values: ['chat-assistant'] }] },
    ],
  ])('is refused with %s: it could select the Closed capability’s Pods', (_, podSelector) => {
    for (const rules of [
      ALLOW_ALL_INGRESS,
      { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
    ]) {
      const decision = judge(netpol(podSelector, rules));
      expect(decision).toMatchObject({ allowed: false, reason: 'NetworkPolicyWidensCapability' });
      expect(decision.message).toContain('of Closed capability isolated');
      expect(decision.message).toContain('operator: DoesNotExist');
    }
  });

  it.each([
    ['DoesNotExist', { matchExpressions: [{ key: K, operator: 'DoesNotExist' }] }],
    ['matchLabels of an Open capability', { matchLabels: { [K]: 'chat-assistant', app: 'x' } }],
    [
      'In a list of Open capabilities',
      { matchExpressions: [{ key: K, operator: 'In', values: ['chat-assistant', 'forecasting'] }] },
    ],
    [
      'NotIn the Closed capability',
      { matchExpressions: [{ key: K, operator: 'NotIn', values: ['isolated'] }] },
    ],
  ])('is admitted with %s', (_, podSelector) => {
    expect(judge(netpol(podSelector))).toMatchObject({ allowed: true, reason: 'NotGoverned' });
  });

  it('is admitted anywhere no capability is Closed', () => {
    const state = snapshot({ capabilities: [capability()] });
    expect(judge(netpol({}), {}, state)).toMatchObject({ allowed: true });
  });

  it('under a Closed policy, may select only Pods without a capability: every capability is Closed, now or later', () => {
    const closed = world('Closed');
    for (const podSelector of [
      { matchLabels: { [K]: 'chat-assistant' } },
      {
        matchExpressions: [
          { key: K, operator: 'NotIn', values: ['chat-assistant', 'forecasting', 'isolated'] },
        ],
      },
    ]) {
      expect(judge(netpol(podSelector), {}, closed)).toMatchObject({
        reason: 'NetworkPolicyWidensCapability',
      });
    }
    const future = judge(netpol({ matchLabels: { [K]: 'not-yet' } }), {}, closed);
    expect(future).toMatchObject({ reason: 'NetworkPolicyWidensCapability' });
    expect(future.message).toContain('capability not-yet, not created yet but Closed once created');
    expect(
      judge(netpol({ matchExpressions: [{ key: K, operator: 'DoesNotExist' }] }), {}, closed),
    ).toMatchObject({ allowed: true });
  });

  it('is refused to governance admins and trusted appliers too', () => {
    for (const user of [admin, gitops]) {
      expect(judge(netpol({}), { user })).toMatchObject({
        reason: 'NetworkPolicyWidensCapability',
      });
    }
  });

  it('is refused when an UPDATE turns a harmless policy into a widening one', () => {
    const harmless = netpol({ matchExpressions: [{ key: K, operator: 'DoesNotExist' }] });
    const widened = netpol({});
    expect(judge(widened, { operation: 'UPDATE', oldObject: harmless })).toMatchObject({
      reason: 'NetworkPolicyWidensCapability',
    });
    const denyOnly = netpol({}, { ingress: [], egress: [] });
    expect(judge(netpol({}), { operation: 'UPDATE', oldObject: denyOnly })).toMatchObject({
      reason: 'NetworkPolicyWidensCapability',
    });
  });

  it('may still be relabelled, or emptied of finalizers, when its spec stays (a capability Closed after it was admitted)', () => {
    const stored = netpol({});
    const relabelled = { ...stored, metadata: { ...stored.metadata, labels: { team: 'web' } } };
    expect(judge(relabelled, { operation: 'UPDATE', oldObject: stored })).toMatchObject({
      allowed: true,
    });
  });
});

describe('a NetworkPolicy that only denies', () => {
  it('is always admitted, whatever it selects', () => {
    for (const rules of [{}, { ingress: [], egress: [] }]) {
      expect(judge(netpol({}, rules), {}, world('Closed'))).toMatchObject({
        allowed: true,
        reason: 'NotGoverned',
      });
    }
  });
});

describe('the NetworkPolicies oos owns', () => {
  it('are created, changed and deleted by the operator', () => {
    expect(judge(managed, { user: operator })).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
    expect(
      judge(managed, { user: operator, operation: 'UPDATE', oldObject: managed }),
    ).toMatchObject({ allowed: true });
    expect(remove(managed, operator)).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('are refused to anyone else: create, change, unlabel, delete', () => {
    for (const user of [alice, admin, gitops]) {
      expect(judge(managed, { user })).toMatchObject({ allowed: false, reason: 'ManagedByOos' });
      const opened = { ...managed, spec: { ...managed.spec, ingress: [{}] } };
      expect(judge(opened, { user, operation: 'UPDATE', oldObject: managed })).toMatchObject({
        reason: 'ManagedByOos',
      });
      const unlabelled = { ...managed, metadata: { ...managed.metadata, labels: {} } };
      expect(judge(unlabelled, { user, operation: 'UPDATE', oldObject: managed })).toMatchObject({
        reason: 'ManagedByOos',
      });
      const deleted = remove(managed, user);
      expect(deleted).toMatchObject({ allowed: false, reason: 'ManagedByOos' });
      expect(deleted.message).toContain('isolates the Pods of Closed capability ml/isolated');
    }
  });

  it('a pure deny policy carrying the label is refused too: the label is the operator’s', () => {
    expect(judge(netpol({}, {}, { 'oos.dev/managed-by': 'oos' }))).toMatchObject({
      reason: 'ManagedByOos',
    });
  });

  it('may be deleted by anyone once they protect nothing, or with their namespace', () => {
    const gone = snapshot({ capabilities: [capability()] }, { operatorUser: OPERATOR });
    expect(remove(managed, alice, {}, gone)).toMatchObject({ allowed: true, reason: 'Authorized' });
    // Foreground deletion: the garbage collector deletes the dependents while the capability waits.
    const deleting = {
      ...isolated,
      metadata: { ...isolated.metadata, deletionTimestamp: '2026-06-01T11:00:00Z' },
    };
    const collector = {
      username: 'system:serviceaccount:kube-system:generic-garbage-collector',
      groups: [],
    };
    expect(
      remove(
        managed,
        collector,
        {},
        snapshot({ capabilities: [deleting] }, { operatorUser: OPERATOR }),
      ),
    ).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(remove(managed, alice, { namespaceTerminating: true })).toMatchObject({ allowed: true });
  });

  it('nobody but the operator when the operator’s identity is unknown', () => {
    const unknown = snapshot({ capabilities: [isolated] });
    expect(judge(managed, { user: operator }, unknown)).toMatchObject({ reason: 'ManagedByOos' });
  });
});

describe('other NetworkPolicy requests', () => {
  it('leaves deleting a policy of one’s own to RBAC (it only narrows)', () => {
    expect(remove(netpol({}), alice)).toMatchObject({ allowed: true, reason: 'NotGoverned' });
  });
});
