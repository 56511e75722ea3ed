import { describe, expect, it } from 'vitest';
import {
  claim,
  DEFAULT_TIMINGS,
  mayAcquire,
  observe,
  release,
  renewDeadlinePassed,
  timingsFor,
} from './record.js';

const held = {
  holderIdentity: 'a',
  leaseDurationSeconds: 15,
  renewTime: 't1',
  acquireTime: 't0',
  leaseTransitions: 2,
};

describe('leader election timings', () => {
  it("keep client-go's proportions: the leader gives up before anyone else may take over", () => {
    expect(timingsFor(15_000)).toEqual({
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(DEFAULT_TIMINGS).toEqual({
      leaseDurationMs: 10_000,
      renewDeadlineMs: 6_667,
      retryPeriodMs: 2_000,
    });
    const short = timingsFor(3_000);
    expect(short.retryPeriodMs).toBe(600);
    expect(short.renewDeadlineMs).toBeLessThan(short.leaseDurationMs);
  });
});

describe('leader election decisions', () => {
  it('judge expiry from when the record was last seen to change, on the local clock', () => {
    const first = observe(undefined, held, 1_000);
    expect(observe(first, { ...held }, 5_000)).toBe(first);
    expect(mayAcquire(first, 'b', 15_999)).toBe(false);
    expect(mayAcquire(first, 'b', 16_000)).toBe(true);
    const renewed = observe(first, { ...held, renewTime: 't2' }, 10_000);
    expect(renewed.at).toBe(10_000);
    expect(mayAcquire(renewed, 'b', 16_000)).toBe(false);
  });

  it('let the holder renew, and anyone take a released lease', () => {
    const seen = observe(undefined, held, 0);
    expect(mayAcquire(seen, 'a', 1)).toBe(true);
    expect(mayAcquire(observe(undefined, release(held, 't3'), 0), 'b', 1)).toBe(true);
  });

  it('write a claim that counts transitions and keeps the acquire time while renewing', () => {
    expect(claim(held, 'a', 15_000, 't9')).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: 't0',
      renewTime: 't9',
      leaseTransitions: 2,
    });
    expect(claim(held, 'b', 15_000, 't9')).toMatchObject({
      acquireTime: 't9',
      leaseTransitions: 3,
    });
    expect(claim(undefined, 'b', 15_000, 't9')).toMatchObject({ leaseTransitions: 0 });
    expect(release(held, 't9')).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 2,
    });
  });

  it('step down once the renew deadline has passed', () => {
    expect(renewDeadlinePassed(0, 6_666, DEFAULT_TIMINGS)).toBe(false);
    expect(renewDeadlinePassed(0, 6_667, DEFAULT_TIMINGS)).toBe(true);
  });
});
