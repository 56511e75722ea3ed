import { describe, expect, it } from 'vitest';
import {
  dueBetween,
  percentile,
  plannedAt,
  rssFromStatus,
  slopePerMinute,
  summarize,
} from './admission-soak-stats.js';

describe('percentile', () => {
  it('is the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('is the only value of one, and NaN of none', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('slopePerMinute', () => {
  it('is the growth per minute of a straight line, whatever the sampling', () => {
    const points = [0, 5, 10, 30, 60, 90].map((t) => ({ t, value: 100 + 2 * t }));
    expect(slopePerMinute(points)).toBeCloseTo(120);
  });

  it('is zero for a flat series, one point or one time', () => {
    expect(slopePerMinute([0, 10, 20].map((t) => ({ t, value: 5 })))).toBe(0);
    expect(slopePerMinute([{ t: 3, value: 9 }])).toBe(0);
    expect(
      slopePerMinute([
        { t: 3, value: 1 },
        { t: 3, value: 9 },
      ]),
    ).toBe(0);
  });

  it('sees through noise around a flat line', () => {
    const points = Array.from({ length: 120 }, (_, i) => ({
      t: i * 5,
      value: i % 2 === 0 ? 10 : 12,
    }));
    expect(Math.abs(slopePerMinute(points))).toBeLessThan(0.05);
  });
});

describe('the open-loop schedule', () => {
  it('owes every request exactly once however the ticks fall', () => {
    const rate = 333;
    const ticks = [0, 3, 4, 17, 17, 250, 251, 999, 1000, 1001, 2500, 3000];
    const sent: number[] = [];
    for (let k = 1; k < ticks.length; k += 1) {
      const { first, count } = dueBetween(rate, ticks[k - 1] ?? 0, ticks[k] ?? 0);
      for (let i = first; i < first + count; i += 1) sent.push(i);
    }
    expect(sent).toEqual(Array.from({ length: 999 }, (_, i) => i));
  });

  it('plans request i at i / rate seconds', () => {
    expect(plannedAt(400, 0)).toBe(0);
    expect(plannedAt(400, 400)).toBe(1000);
    expect(plannedAt(400, 1)).toBe(2.5);
  });

  it('owes nothing when no time passed', () => {
    expect(dueBetween(1000, 42, 42).count).toBe(0);
  });
});

describe('summarize', () => {
  it('gives count, p50, p99 and max without sorting the input in place', () => {
    const latencies = [5, 1, 4, 2, 3];
    expect(summarize(latencies)).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
    expect(latencies).toEqual([5, 1, 4, 2, 3]);
  });
});

describe('rssFromStatus', () => {
  it('reads VmRSS in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1234 kB\nVmRSS:\t  153600 kB\nRssAnon:\t 100 kB\n';
    expect(rssFromStatus(status)).toBe(153_600 * 1024);
  });

  it('is undefined without a VmRSS line (a kernel thread, or not Linux)', () => {
    expect(rssFromStatus('Name:\tkthreadd\nState:\tS\n')).toBeUndefined();
  });
});
