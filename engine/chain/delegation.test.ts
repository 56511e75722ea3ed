import { describe, expect, it } from 'vitest';
import type { Delegation } from '../../api/index.js';
import type { IndexedDelegation } from '../snapshot.js';
import {
  anchoredLabels,
  anchoredOptions,
  capability as capabilityFixture,
  chainState,
  delegation as delegationFixture,
  deployment,
  NOW,
  snapshot,
} from '../testing/fixtures.js';
import { capability } from './capability.js';
import { chainOf, runSteps } from './step.js';
import { delegation, delegationState } from './delegation.js';
import { holders } from './holders.js';
import { role } from './role.js';

const STEPS = [capability, role, holders, delegation];

function run(delegations: Delegation[], object = deployment(anchoredOptions), overrides = {}) {
  return runSteps(STEPS, chainState(object, snapshot({ delegations, ...overrides })));
}

function verdictOf(result: ReturnType<typeof run>) {
  if (!('verdict' in result)) throw new Error('expected a verdict');
  return result.verdict;
}

describe('delegation state', () => {
  const base: IndexedDelegation = {
    namespace: 'ml',
    name: 'd',
    capability: 'c',
    serviceAccount: 's',
    from: 10,
    until: 20,
    revoked: false,
  };
  it.each<[Partial<IndexedDelegation>, number, string]>([
    [{}, 15, 'Active'],
    [{}, 10, 'Active'],
    [{}, 9, 'NotYetValid'],
    [{}, 20, 'Expired'],
    [{ revoked: true }, 15, 'Revoked'],
    [{ revoked: true }, 25, 'Revoked'],
  ])('%j at %d is %s', (change, now, state) => {
    expect(delegationState({ ...base, ...change }, now)).toBe(state);
  });
});

describe('the delegation step', () => {
  it('anchors the chain on an active delegation to the pod ServiceAccount', () => {
    const result = run([delegationFixture()]);
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(chainOf(result.next).delegation).toEqual({
      namespace: 'ml',
      name: 'chat-assistant-chat-bot',
      serviceAccount: 'chat-bot',
      validUntil: '2026-07-01T00:00:00Z',
    });
  });

  it('fails DelegationMissing, naming who can delegate and which ServiceAccounts are delegated', () => {
    const verdict = verdictOf(
      run([delegationFixture()], deployment({ ...anchoredOptions, serviceAccount: 'other' })),
    );
    expect(verdict.reason).toBe('DelegationMissing');
    expect(verdict.message).toBe(
      'ServiceAccount ml/other has no Delegation of capability chat-assistant: a current holder of role model-risk-officer (alice) must create one for it, or run it as a ServiceAccount that has one (chat-bot).',
    );
  });

  it('uses the default ServiceAccount when the pod names none', () => {
    const verdict = verdictOf(
      run(
        [delegationFixture()],
        deployment({ labels: anchoredLabels, image: 'ollama/ollama:0.5' }),
      ),
    );
    expect(verdict.message).toContain('ServiceAccount ml/default has no Delegation');
  });

  it('fails DelegationExpired', () => {
    const verdict = verdictOf(
      run([delegationFixture(undefined, { validUntil: '2026-06-01T12:00:00Z' })]),
    );
    expect(verdict.reason).toBe('DelegationExpired');
    expect(verdict.message).toContain(
      'expired at 2026-06-01T12:00:00Z: a current holder of role model-risk-officer (alice) must create a new Delegation',
    );
  });

  it('fails DelegationNotYetValid', () => {
    const verdict = verdictOf(
      run([delegationFixture(undefined, { validFrom: '2026-06-02T00:00:00Z' })]),
    );
    expect(verdict.reason).toBe('DelegationNotYetValid');
    expect(verdict.message).toContain('is valid only from 2026-06-02T00:00:00Z');
  });

  it('fails DelegationRevoked', () => {
    const verdict = verdictOf(run([delegationFixture(undefined, { revoked: true })]));
    expect(verdict.reason).toBe('DelegationRevoked');
    expect(verdict.message).toContain('was revoked');
  });

  it('passes when any delegation is active, whatever the others', () => {
    const lapsed = delegationFixture('old', { validUntil: '2026-05-02T00:00:00Z' });
    const revoked = delegationFixture('revoked', {
      revoked: true,
      validUntil: '2026-09-01T00:00:00Z',
    });
    const result = run([lapsed, revoked, delegationFixture('current')]);
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(chainOf(result.next).delegation?.name).toBe('current');
  });

  it('tells a lapse by the latest delegation', () => {
    const expired = delegationFixture('expired', { validUntil: '2026-05-02T00:00:00Z' });
    const revoked = delegationFixture('revoked', { revoked: true });
    expect(verdictOf(run([expired, revoked])).reason).toBe('DelegationRevoked');
  });

  it('checks every ServiceAccount of a multi-pod workload', () => {
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'ray', namespace: 'ml', labels: anchoredLabels },
      spec: {
        headGroupSpec: {
          template: {
            spec: {
              serviceAccountName: 'chat-bot',
              containers: [{ image: 'rayproject/ray:2.40.0' }],
            },
          },
        },
        workerGroupSpecs: [
          {
            template: {
              spec: {
                serviceAccountName: 'workers',
                containers: [{ image: 'rayproject/ray:2.40.0' }],
              },
            },
          },
        ],
      },
    };
    expect(verdictOf(run([delegationFixture()], ray)).message).toContain(
      'ServiceAccount ml/workers has no Delegation',
    );
  });

  it('is skipped when the capability does not require delegation', () => {
    const relaxed = capabilityFixture(undefined, { delegationRequired: false });
    const result = run([], deployment(anchoredOptions), { capabilities: [relaxed] });
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(chainOf(result.next).delegation).toBeUndefined();
  });

  it('uses the decision time', () => {
    const later = chainState(
      deployment(anchoredOptions),
      snapshot(),
      new Date(NOW.getTime() + 60 * 86_400_000),
    );
    expect(runSteps(STEPS, later)).toMatchObject({ verdict: { reason: 'DelegationExpired' } });
  });
});
