import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt within [ceiling/2, ceiling] and stops at the cap', () => {
    const low = { random: () => 0 };
    const high = { random: () => 1 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, high))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(3, low)).toBe(2000);
    expect(backoffDelay(50, high)).toBe(30_000);
  });
});
