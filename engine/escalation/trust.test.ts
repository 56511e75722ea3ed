import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../api/index.js';
import { escalation, escalationPolicy, NOW } from '../testing/fixtures.js';
import { isResolved, planEpisode } from './episode.js';
import { routingOf } from './routing.js';
import { trustEpisode, type EpisodeMemory } from './trust.js';

const HOUR = 3_600_000;
const now = NOW.getTime();
// Level 1 at once, level 2 after 4h (the fixture's ladder).
const routing = routingOf(escalationPolicy('ladder', { retention: '30d' }));

function opened(status?: Record<string, unknown>, createdAt = '2026-06-01T12:00:00Z'): Escalation {
  const e = escalation('e', { policy: 'ladder', accountableRole: 'model-risk-officer' }, status);
  return { ...e, metadata: { ...e.metadata, creationTimestamp: createdAt, uid: 'u' } };
}

const trust = (
  e: Escalation,
  causePresent: boolean,
  memory?: EpisodeMemory,
  at = now,
  newest = true,
) => trustEpisode(e, { causePresent, newest, memory, routing, now: at });

const FORGED_RESOLUTION = {
  level: 1,
  notifiedRoles: ['model-risk-officer'],
  lastNotifiedAt: '2026-06-01T12:00:00Z',
  resolvedAt: '2026-01-01T00:00:00Z',
};

describe('the controller trusts only the escalation status it can verify', () => {
  it('leaves a status it wrote itself alone', () => {
    const e = opened();
    const written = { ...e, status: planEpisode(e, undefined, routing, now).status };
    const trusted = trust(written, false);
    expect(trusted.repairs).toEqual([]);
    expect(trusted.escalation).toBe(written);
  });

  it('voids a resolution written while the cause is present: never deleted, never reopened anew', () => {
    const forged = opened(FORGED_RESOLUTION);
    expect(isResolved(forged)).toBe(true);
    const trusted = trust(forged, true, undefined, now + HOUR);
    expect(isResolved(trusted.escalation)).toBe(false);
    expect(trusted.repairs[0]).toMatch(/resolved while its cause is present/);
    // Planned with the cause present, the escalation stays open and its clock counts from creation.
    const open = planEpisode(
      trusted.escalation,
      {
        key: 'k',
        name: 'e',
        namespace: 'ml',
        trigger: 'DelegationExpired',
        severity: 'Critical',
        subject: { apiVersion: 'v1', kind: 'Pod', namespace: 'ml', name: 'p' },
        capability: undefined,
        accountableRole: 'model-risk-officer',
        policy: 'ladder',
        summary: 'Renew it.',
      },
      routing,
      now + 5 * HOUR,
    );
    expect(open.resolved).toBe(false);
    expect(open.status.level).toBe(2);
    expect(open.status.resolvedAt).toBeUndefined();
  });

  it('believes a resolution it recorded itself, so a cause that comes back opens a new episode', () => {
    const resolved = opened({ ...FORGED_RESOLUTION, resolvedAt: '2026-06-01T13:00:00Z' });
    const memory = { level: 1, notifiedRoles: ['model-risk-officer'], resolvedAt: now + HOUR };
    const trusted = trust(resolved, true, memory, now + 2 * HOUR);
    expect(trusted.repairs).toEqual([]);
    expect(isResolved(trusted.escalation)).toBe(true);
  });

  it('voids a resolution it never recorded on an escalation it wrote, even once the cause is gone', () => {
    const memory = { level: 1, notifiedRoles: ['model-risk-officer'], resolvedAt: undefined };
    const trusted = trust(opened(FORGED_RESOLUTION), false, memory, now + HOUR);
    expect(isResolved(trusted.escalation)).toBe(false);
    expect(trusted.repairs[0]).toMatch(/never recorded/);
    // So the controller resolves it now: its retention counts from now, not from a forged time.
    const plan = planEpisode(trusted.escalation, undefined, routing, now + HOUR);
    expect(plan.status.resolvedAt).toBe('2026-06-01T13:00:00Z');
  });

  it('keeps an older episode resolved while a newer one is open', () => {
    expect(trust(opened(FORGED_RESOLUTION), true, undefined, now, false).repairs).toEqual([
      expect.stringMatching(/^resolvedAt/),
    ]);
  });

  it('keeps a resolution time between creation and now, its own time winning', () => {
    const early = trust(opened(FORGED_RESOLUTION), false, undefined, now + HOUR);
    expect(early.escalation.status?.resolvedAt).toBe('2026-06-01T12:00:00Z');
    const mine = trust(opened(FORGED_RESOLUTION), false, {
      level: 1,
      notifiedRoles: ['model-risk-officer'],
      resolvedAt: now + HOUR,
    });
    expect(mine.escalation.status?.resolvedAt).toBe('2026-06-01T13:00:00Z');
  });

  it('never believes a level ahead of the ladder, nor other roles than the levels reached', () => {
    const forged = opened({ level: 2, notifiedRoles: ['model-risk-officer', 'attacker'] });
    const trusted = trust(forged, true);
    expect(trusted.escalation.status).toMatchObject({
      level: 1,
      notifiedRoles: ['model-risk-officer'],
    });
    expect(trusted.repairs).toHaveLength(2);
    // So level 2 is still notified when due.
    const plan = planEpisode(trusted.escalation, undefined, routing, now);
    expect(plan.status.level).toBe(1);
  });

  it('takes the level it notified from its memory, whatever the status says', () => {
    const trusted = trust(opened({ level: 0 }), true, {
      level: 1,
      notifiedRoles: ['model-risk-officer'],
      resolvedAt: undefined,
    });
    expect(trusted.escalation.status?.level).toBe(1);
  });

  it('rewrites date-times the controller never writes (lowercase t and z)', () => {
    const trusted = trust(
      opened({
        level: 1,
        notifiedRoles: ['model-risk-officer'],
        lastNotifiedAt: '2026-06-01t12:00:00z',
      }),
      true,
    );
    expect(trusted.repairs).toEqual([expect.stringMatching(/status\.lastNotifiedAt/)]);
    expect(trusted.escalation.status?.lastNotifiedAt).toBe('2026-06-01T12:00:00Z');
  });
});
