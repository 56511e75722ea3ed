import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { AdmissionInput, Identity, Operation } from '../input.js';
import {
  admin,
  alice,
  carol,
  gitops,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  robot,
  snapshot,
} from '../testing/fixtures.js';
import { governedNamespaceLabels } from './namespace.js';

const OPERATOR: Identity = { username: 'system:serviceaccount:oos-system:oos', groups: [] };

const governed = snapshot(
  {
    policies: [
      policy({
        enforcementRules: [
          { namespaceSelector: { matchLabels: { environment: 'sandbox' } }, enforcement: 'Warn' },
          {
            namespaceSelector: {
              matchExpressions: [
                { key: 'tier', operator: 'In', values: ['prod'] },
                { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['risk-ai'] },
              ],
            },
            enforcement: 'Enforce',
          },
        ],
        enforcement: 'Audit',
      }),
    ],
  },
  { operatorNamespace: OPERATOR_NAMESPACE, operatorUser: OPERATOR.username },
);

function namespace(labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'risk-ai',
      labels: { 'kubernetes.io/metadata.name': 'risk-ai', ...labels },
      ...extra,
    },
  };
}

function change(
  before: Record<string, string> | undefined,
  after: Record<string, string>,
  user: Identity,
  operation: Operation = before === undefined ? 'CREATE' : 'UPDATE',
): AdmissionInput {
  return {
    operation,
    kind: { group: '', version: 'v1', kind: 'Namespace' },
    name: 'risk-ai',
    object: namespace(after),
    ...(before === undefined ? {} : { oldObject: namespace(before) }),
    userInfo: user,
  };
}

describe('governedNamespaceLabels', () => {
  it('collects the keys of every namespaceSelector, but the apiserver’s name label', () => {
    expect([...governedNamespaceLabels(governed.policy.spec)].sort()).toEqual([
      'environment',
      'tier',
    ]);
  });

  it('finds selectors wherever the policy holds them', () => {
    expect([
      ...governedNamespaceLabels({
        a: [{ b: { namespaceSelector: { matchLabels: { x: '1' } } } }],
      }),
    ]).toEqual(['x']);
  });

  it('is empty without a policy', () => {
    expect(governedNamespaceLabels(snapshot({ policies: [] }).policy.spec).size).toBe(0);
  });
});

describe('the labels that choose enforcement', () => {
  it.each([
    ['adding the Warn rule’s label', {}, { environment: 'sandbox' }],
    ['overwriting it', { environment: 'prod' }, { environment: 'sandbox' }],
    ['removing the Enforce rule’s label', { tier: 'prod' }, {}],
    ['changing a matchExpressions key', { tier: 'prod' }, { tier: 'dev' }],
  ])('refuses %s to people and machines bound to cluster-admin', (_what, before, after) => {
    for (const user of [carol, alice, robot]) {
      const decision = decide(change(before, after, user), governed, NOW);
      expect(decision).toMatchObject({ allowed: false, reason: 'NamespaceLabelGoverned' });
      expect(decision.message).toContain('governance admin or a trusted applier');
    }
  });

  it('refuses creating a namespace that already carries a governed label', () => {
    const decision = decide(change(undefined, { environment: 'sandbox' }, carol), governed, NOW);
    expect(decision).toMatchObject({ allowed: false, reason: 'NamespaceLabelGoverned' });
    expect(decision.message).toContain('cannot create Namespace risk-ai');
  });

  it.each([
    ['a governance admin', admin],
    ['a trusted applier', gitops],
    ['the operator', OPERATOR],
  ])('lets %s change them', (_who, user) => {
    expect(
      decide(change({ tier: 'prod' }, { environment: 'sandbox' }, user), governed, NOW),
    ).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
  });

  it('lets every other change through untouched', () => {
    const other = decide(
      change({ tier: 'prod' }, { tier: 'prod', team: 'ml' }, carol),
      governed,
      NOW,
    );
    expect(other).toMatchObject({ allowed: true, reason: 'NotGoverned' });
    expect(decide(change(undefined, { team: 'ml' }, carol), governed, NOW).allowed).toBe(true);
  });

  it('never judges a namespace being deleted, a subresource or a delete', () => {
    const terminating = {
      ...change({ tier: 'prod' }, {}, robot),
      object: namespace({}, { deletionTimestamp: '2026-06-01T00:00:00Z' }),
    };
    expect(decide(terminating, governed, NOW).allowed).toBe(true);
    const finalize = { ...change({ tier: 'prod' }, {}, robot), subResource: 'finalize' };
    expect(decide(finalize, governed, NOW).allowed).toBe(true);
    expect(decide(change({ tier: 'prod' }, {}, robot, 'DELETE'), governed, NOW).allowed).toBe(true);
  });

  it('governs nothing when the policy selects no namespace by label', () => {
    expect(
      decide(change(undefined, { environment: 'sandbox' }, carol), snapshot(), NOW).allowed,
    ).toBe(true);
  });
});
