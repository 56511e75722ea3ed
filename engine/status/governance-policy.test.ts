import { describe, expect, it } from 'vitest';
import { NOW, policy, snapshot } from '../testing/fixtures.js';
import { foreignTimes } from './foreign.js';
import { governancePolicyStatus } from './governance-policy.js';

describe('the status of a GovernancePolicy', () => {
  it('is Ready while in force, naming its mode and exempt namespaces (still audited)', () => {
    const p = policy();
    const status = governancePolicyStatus(p, snapshot({ policies: [p] }), NOW.getTime());
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'Ready', status: 'True', reason: 'InForce' }),
    ]);
    expect(status.conditions?.[0]?.message).toMatch(/kube-system/);
  });

  it('keeps the transition time of an unchanged condition', () => {
    const p = policy();
    const first = governancePolicyStatus(p, snapshot({ policies: [p] }), NOW.getTime());
    const again = governancePolicyStatus(
      { ...p, status: first },
      snapshot({ policies: [p] }),
      NOW.getTime() + 60_000,
    );
    expect(again).toEqual(first);
  });
});

describe('date-times the controller never writes', () => {
  it('are found anywhere in a status', () => {
    expect(
      foreignTimes({
        resolvedAt: '2026-01-01T00:00:00Z',
        nextAttestationExpiry: '2026-01-01T00:00:00.500Z',
        conditions: [{ lastTransitionTime: '2026-01-01t00:00:00z', message: 'fine' }],
        lastNotifiedAt: '2026-01-01T01:00:00+01:00',
      }),
    ).toEqual(['status.conditions[0].lastTransitionTime', 'status.lastNotifiedAt']);
  });

  it('are named by their whole path, and none is found in a status of the controller', () => {
    expect(foreignTimes({ a: [[{ b: { at: '2026-01-01t00:00:00z' } }], []] })).toEqual([
      'status.a[0][0].b.at',
    ]);
    expect(
      foreignTimes({
        at: '2026-01-01T00:00:00Z',
        since: '0099-12-31T23:59:59Z',
        until: '2026-01-01T00:00:00.500Z',
        conditions: [{ lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Thirty' }],
      }),
    ).toEqual([]);
  });
});
