/**
 * A keyed work queue like client-go's: a key is queued at most once however often it is added,
 * never processed by two workers at once (added again while processing, it runs once more
 * afterwards), retried with per-key exponential backoff after a failure, and forgotten (backoff
 * reset) after a success.
 */

export interface WorkQueueOptions {
  /** Handles one key; a rejection retries the key with backoff. */
  readonly process: (key: string) => Promise<void>;
  /** Called with every failure, before the retry is scheduled. */
  readonly onError?: (key: string, error: unknown, retryInMs: number) => void;
  readonly workers?: number;
  /** Called after every key is processed, with the keys still waiting or being processed. */
  readonly onSettled?: (length: number) => void;
  /** First retry delay; doubles with every consecutive failure of the key. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** The delay before retry number `failures` (1 for the first) of a key. */
export function retryDelay(failures: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly idle: (() => void)[] = [];
  private active = 0;
  private stopped = false;
  private readonly workers: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.workers = options.workers ?? 2;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
  }

  /** Queues `key` unless it is already waiting. */
  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) {
      this.queue.push(key);
      this.pump();
    }
  }

  /** Queues `key` after `delayMs` (the earliest of several requests wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Keys waiting or being processed. */
  get length(): number {
    return this.dirty.size + this.processing.size;
  }

  /** Consecutive failures of `key` so far. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Stops taking work and waits for the keys being processed. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.active < this.workers && this.queue.length > 0) {
      const key = this.queue.shift();
      if (key === undefined) return;
      this.dirty.delete(key);
      this.processing.add(key);
      this.active += 1;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.options.process(key);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = retryDelay(failures, this.baseDelayMs, this.maxDelayMs);
      this.options.onError?.(key, error, delay);
      this.addAfter(key, delay);
    } finally {
      this.processing.delete(key);
      this.active -= 1;
      if (this.dirty.has(key) && !this.stopped) this.queue.push(key);
      if (this.active === 0 && this.stopped) for (const resolve of this.idle.splice(0)) resolve();
      this.pump();
      this.options.onSettled?.(this.length);
    }
  }
}
