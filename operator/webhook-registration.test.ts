import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepPublished } from './webhook-registration.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('keepPublished', () => {
  it('retries a failed publication with backoff, then republishes periodically and when nudged', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const publish = vi.fn(() => {
      calls++;
      return calls <= 2 ? Promise.reject(new Error('404 not found')) : Promise.resolve();
    });
    const publisher = keepPublished(publish, pino({ level: 'silent' }), 60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1); // at once
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2); // first retry within the first backoff step
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(3); // second retry, succeeds
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls).toBe(3); // nothing until the period is over
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(4); // periodic republication
    publisher.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(5); // a new CA bundle is published at once
    publisher.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toBe(5);
  });
});
