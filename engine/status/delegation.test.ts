import { describe, expect, it } from 'vitest';
import type { Delegation } from '../../api/index.js';
import { capability, delegation, escalationPolicy, NOW, snapshot } from '../testing/fixtures.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { delegationStatus } from './delegation.js';

const DAY = 86_400_000;

function statusOf(d: Delegation, at = NOW.getTime(), snap?: GovernanceSnapshot) {
  const status = delegationStatus(d, snap ?? snapshot({ delegations: [d] }), at);
  return {
    state: status.state,
    ready: status.conditions?.find((c) => c.type === 'Ready'),
    expiring: status.conditions?.find((c) => c.type === 'Expiring'),
  };
}

describe('Delegation status', () => {
  it('is Active and not expiring a month before validUntil', () => {
    const { state, ready, expiring } = statusOf(delegation());
    expect(state).toBe('Active');
    expect(ready).toMatchObject({ status: 'True', reason: 'Active' });
    expect(ready?.message).toBe(
      'ServiceAccount chat-bot may execute capability chat-assistant until 2026-07-01T00:00:00Z.',
    );
    expect(expiring).toMatchObject({ status: 'False', reason: 'NotExpiring' });
  });

  it('is Expiring within the default lead time of 14 days', () => {
    const { state, expiring } = statusOf(delegation(), Date.parse('2026-06-17T00:00:00Z'));
    expect(state).toBe('Active');
    expect(expiring).toMatchObject({ status: 'True', reason: 'ExpiresSoon' });
  });

  it('takes the lead time of its capability’s escalation policy', () => {
    const d = delegation();
    const snap = snapshot({
      delegations: [d],
      capabilities: [capability(undefined, { escalationPolicy: 'short' })],
      escalationPolicies: [
        escalationPolicy('short', {
          triggers: [{ type: 'DelegationExpiring', severity: 'Warning', leadTime: '1d' }],
        }),
      ],
    });
    const at = Date.parse('2026-07-01T00:00:00Z');
    expect(statusOf(d, at - 2 * DAY, snap).expiring?.status).toBe('False');
    expect(statusOf(d, at - DAY, snap).expiring?.status).toBe('True');
  });

  it.each([
    [{ validUntil: '2026-06-01T11:00:00Z' }, 'Expired', 'expired at 2026-06-01T11:00:00Z'],
    [{ revoked: true }, 'Revoked', 'was revoked'],
    [{ validFrom: '2026-06-02T00:00:00Z' }, 'NotYetValid', 'starts at 2026-06-02T00:00:00Z'],
  ])('%j is %s', (spec, state, message) => {
    const result = statusOf(delegation(undefined, spec));
    expect(result.state).toBe(state);
    expect(result.ready).toMatchObject({ status: 'False', reason: state });
    expect(result.ready?.message).toContain(message);
    expect(result.expiring).toMatchObject({ status: 'False', reason: state });
  });

  it('is not Ready when its capability does not exist', () => {
    const d = delegation(undefined, { capability: 'gone' });
    expect(statusOf(d).ready).toMatchObject({ status: 'False', reason: 'CapabilityNotFound' });
  });
});
