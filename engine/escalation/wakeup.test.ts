import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../api/index.js';
import {
  escalation,
  escalationPolicy,
  exemption,
  holder,
  NOW,
  role,
  snapshot,
} from '../testing/fixtures.js';
import { nextWakeup } from './wakeup.js';

const now = NOW.getTime();
const HOUR = 3_600_000;

function created(e: Escalation, at: string): Escalation {
  return { ...e, metadata: { ...e.metadata, creationTimestamp: at } };
}

describe('the next wake-up', () => {
  it('is when the delegation enters its lead time of 14 days', () => {
    expect(new Date(nextWakeup(snapshot(), now) ?? 0).toISOString()).toBe(
      '2026-06-17T00:00:00.000Z',
    );
  });

  it('is the earliest of expiries, lapses and levels due', () => {
    const exempt = snapshot({
      exemptions: [exemption('incident', { expiresAt: '2026-06-05T00:00:00Z' })],
    });
    expect(nextWakeup(exempt, now)).toBe(Date.parse('2026-06-05T00:00:00Z'));
    const lapsing = snapshot({
      roles: [
        role(undefined, [holder('alice', '2026-06-15T00:00:00Z')]),
        role('chief-risk-officer', []),
      ],
    });
    expect(nextWakeup(lapsing, now)).toBe(Date.parse('2026-06-15T00:00:00Z'));
    const climbing = snapshot({
      escalationPolicies: [escalationPolicy('ladder')],
      escalations: [
        created(escalation('e', { policy: 'ladder' }, { level: 1 }), '2026-06-01T11:00:00Z'),
      ],
    });
    expect(nextWakeup(climbing, now)).toBe(now + 3 * HOUR);
  });

  it('includes the end of a resolved escalation’s retention, and never the past', () => {
    const resolved = snapshot({
      delegations: [],
      roles: [
        role(undefined, [holder('alice', '2030-01-01T00:00:00Z')]),
        role('chief-risk-officer', []),
      ],
      escalations: [
        created(
          escalation('done', {}, { level: 1, resolvedAt: '2026-05-01T00:00:00Z' }),
          '2026-04-01T00:00:00Z',
        ),
      ],
    });
    expect(new Date(nextWakeup(resolved, now) ?? 0).toISOString()).toBe('2026-10-28T00:00:00.000Z');
    expect(
      nextWakeup(snapshot({ delegations: [], roles: [], exemptions: [] }), now),
    ).toBeUndefined();
  });
});
