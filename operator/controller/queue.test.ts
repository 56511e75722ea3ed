import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryDelay, WorkQueue } from './queue.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the work queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('processes a key added many times once', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new WorkQueue({
      workers: 1,
      process: async (key) => {
        seen.push(key);
        await gate;
      },
    });
    queue.add('a');
    queue.add('b');
    queue.add('b');
    queue.add('b');
    release();
    for (let i = 0; i < 5; i++) await tick();
    expect(seen).toEqual(['a', 'b']);
    expect(queue.length).toBe(0);
  });

  it('reports the length left after every key, down to 0 once the last one is done', async () => {
    const lengths: number[] = [];
    const queue = new WorkQueue({
      workers: 2,
      process: async () => {
        await tick();
      },
      onSettled: (length) => lengths.push(length),
    });
    queue.add('a');
    queue.add('b');
    queue.add('c');
    for (let i = 0; i < 10; i++) await tick();
    expect(lengths).toHaveLength(3);
    expect(lengths.at(-1)).toBe(0);
    expect(queue.length).toBe(0);
  });

  it('never runs a key twice at once, and runs it again when it was added meanwhile', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const releases: (() => void)[] = [];
    const queue = new WorkQueue({
      workers: 4,
      process: async () => {
        calls += 1;
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      },
    });
    queue.add('k');
    await tick();
    queue.add('k');
    queue.add('k');
    await tick();
    expect(calls).toBe(1);
    releases.shift()?.();
    await tick();
    await tick();
    expect(calls).toBe(2);
    releases.shift()?.();
    await tick();
    expect(most).toBe(1);
    expect(queue.length).toBe(0);
  });

  it('retries a failing key with exponential backoff, and forgets it after a success', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    const delays: number[] = [];
    const queue = new WorkQueue({
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      process: (key) => {
        attempts.push(Date.now());
        return attempts.length < 4 ? Promise.reject(new Error(`no ${key}`)) : Promise.resolve();
      },
      onError: (_key, _error, retryInMs) => delays.push(retryInMs),
    });
    queue.add('k');
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200 + 400);
    expect(attempts).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]);
    expect(queue.retries('k')).toBe(0);
    await queue.stop();
  });

  it('caps the backoff', () => {
    expect([1, 2, 3, 10, 100].map((n) => retryDelay(n, 200, 5_000))).toEqual([
      200, 400, 800, 5_000, 5_000,
    ]);
  });

  it('takes no work once stopped', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue({ process: (key) => Promise.resolve(void seen.push(key)) });
    await queue.stop();
    queue.add('late');
    await tick();
    expect(seen).toEqual([]);
  });
});
