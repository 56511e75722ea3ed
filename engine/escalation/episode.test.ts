import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../api/index.js';
import {
  delegationExpiredCause as cause,
  escalation,
  escalationPolicy,
  NOW,
} from '../testing/fixtures.js';
import type { Cause } from './causes.js';
import { planEpisode } from './episode.js';
import { routingOf } from './routing.js';

const HOUR = 3_600_000;
const now = NOW.getTime();
const routing = routingOf(escalationPolicy('ladder', { retention: '30d' }));

function opened(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): Escalation {
  const e = escalation(
    'e',
    { policy: 'ladder', accountableRole: 'model-risk-officer', ...spec },
    status,
  );
  return {
    ...e,
    metadata: { ...e.metadata, creationTimestamp: '2026-06-01T12:00:00Z', generation: 1 },
  };
}

/** The escalation as stored after the controller wrote `plan`. */
function stored(e: Escalation, at: number, c: Cause | undefined = cause): Escalation {
  return { ...e, status: planEpisode(e, c, routing, at).status };
}

describe('one escalation over time', () => {
  it('notifies level 1 when it opens, and says when level 2 is due', () => {
    const plan = planEpisode(opened(), cause, routing, now);
    expect(plan.raised).toEqual([{ level: 1, roles: ['model-risk-officer'] }]);
    expect(plan.status).toMatchObject({
      level: 1,
      notifiedRoles: ['model-risk-officer'],
      lastNotifiedAt: '2026-06-01T12:00:00Z',
      observedGeneration: 1,
    });
    expect(plan.nextLevelAt).toBe(now + 4 * HOUR);
    const acknowledged = plan.status.conditions?.find((c) => c.type === 'Acknowledged');
    expect(acknowledged?.message).toBe(
      'Not acknowledged: level 1 of 2 notified (roles model-risk-officer); level 2 is notified at 2026-06-01T16:00:00Z unless acknowledged.',
    );
    expect(plan.status.conditions?.find((c) => c.type === 'Resolved')).toMatchObject({
      status: 'False',
      reason: 'CauseActive',
    });
  });

  it('climbs to level 2 once unacknowledged past its after, notifying only the new roles once', () => {
    const e = stored(opened(), now);
    expect(planEpisode(e, cause, routing, now + 4 * HOUR - 1).raised).toEqual([]);
    const plan = planEpisode(e, cause, routing, now + 4 * HOUR);
    expect(plan.raised).toEqual([{ level: 2, roles: ['chief-risk-officer'] }]);
    expect(plan.status.notifiedRoles).toEqual(['model-risk-officer', 'chief-risk-officer']);
    expect(
      planEpisode({ ...e, status: plan.status }, cause, routing, now + 5 * HOUR).raised,
    ).toEqual([]);
  });

  it('stops climbing once a person acknowledges it, and records who', () => {
    const e = stored(opened(), now);
    const acked = {
      ...e,
      spec: {
        ...e.spec,
        acknowledged: true,
        acknowledgedBy: 'alice',
        acknowledgementNote: 'on it',
      },
    };
    const plan = planEpisode(acked, cause, routing, now + 10 * HOUR);
    expect(plan.raised).toEqual([]);
    expect(plan.acknowledgedNow).toBe(true);
    expect(plan.status.level).toBe(1);
    expect(plan.nextLevelAt).toBeUndefined();
    expect(plan.status.conditions?.find((c) => c.type === 'Acknowledged')).toMatchObject({
      status: 'True',
      message: 'Acknowledged by alice: on it; level 1 of 2 notified (roles model-risk-officer).',
    });
    const later = planEpisode({ ...acked, status: plan.status }, cause, routing, now + 11 * HOUR);
    expect(later.acknowledgedNow).toBe(false);
  });

  it('resolves for good when the cause is gone, and is kept for the retention', () => {
    const e = stored(opened(), now);
    const plan = planEpisode(e, undefined, routing, now + HOUR);
    expect(plan).toMatchObject({
      resolvedNow: true,
      resolved: true,
      raised: [],
      nextLevelAt: undefined,
    });
    expect(plan.status.resolvedAt).toBe('2026-06-01T13:00:00Z');
    expect(plan.expiresAt).toBe(now + HOUR + 30 * 24 * HOUR);
    const ready = plan.status.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'Resolved' });
    const after = planEpisode({ ...e, status: plan.status }, cause, routing, now + 2 * HOUR);
    expect(after).toMatchObject({ resolvedNow: false, resolved: true, raised: [] });
    expect(after.status).toEqual(plan.status);
  });

  it('asks for the spec to be updated when the cause reads differently', () => {
    const e = stored(opened(), now);
    expect(planEpisode(e, cause, routing, now).spec).toBeUndefined();
    expect(
      planEpisode(e, { ...cause, severity: 'Warning', summary: 'new' }, routing, now).spec,
    ).toEqual({
      severity: 'Warning',
      summary: 'new',
    });
  });

  it('leaves a stored status alone when nothing changed', () => {
    const e = stored(opened(), now);
    expect(planEpisode(e, cause, routing, now + HOUR).status).toEqual(e.status);
  });
});
