import { describe, expect, it } from 'vitest';
import type { Verdict } from './response.js';
import { staleVerdict } from './stale.js';

const anchored: Verdict = {
  allowed: true,
  reason: 'Anchored',
  message: 'Anchored: ok',
  warnings: [],
  auditAnnotations: { reason: 'Anchored' },
};
const plain: Verdict = { ...anchored, reason: 'NotAIWorkload' };
const stale = { since: 1_000, kinds: ['Capability', 'Delegation'] };

describe('a decision on stale governance', () => {
  it('is left alone while the interruption is within the limit', () => {
    expect(
      staleVerdict(anchored, stale, 31_000, { maxMs: 30_000, action: 'warn' }),
    ).toBeUndefined();
  });

  it('says so past the limit: a warning naming the age and the kinds, and an audit annotation', () => {
    const v = staleVerdict(anchored, stale, 46_500, { maxMs: 30_000, action: 'warn' });
    expect(v?.allowed).toBe(true);
    expect(v?.warnings).toHaveLength(1);
    expect(v?.warnings?.[0]).toMatch(
      /last confirmed 45 s ago \(its watch of Capability, Delegation is interrupted\)/,
    );
    expect(v?.auditAnnotations).toMatchObject({ reason: 'Anchored', staleGovernanceSeconds: '45' });
  });

  it('with deny, refuses what governance allowed (fail closed) but not what rests on none', () => {
    const policy = { maxMs: 30_000, action: 'deny' } as const;
    const refused = staleVerdict(anchored, stale, 46_500, policy);
    expect(refused).toMatchObject({ allowed: false, code: 503, reason: 'GovernanceStale' });
    expect(refused?.message).toMatch(
      /^GovernanceStale: oos decided on governance last confirmed 45 s ago/,
    );
    expect(staleVerdict(plain, stale, 46_500, policy)?.allowed).toBe(true);
    const denied = { ...anchored, allowed: false, reason: 'DelegationRevoked' };
    expect(staleVerdict(denied, stale, 46_500, policy)).toMatchObject({
      allowed: false,
      reason: 'DelegationRevoked',
      warnings: [expect.stringContaining('45 s ago')],
    });
  });
});
