/**
 * Rate limiting and de-duplication of Kubernetes Events, like client-go's EventCorrelator: the
 * same event about the same object within the de-duplication window updates the first one's
 * `series` instead of creating another, and each object has a token bucket (25 events, then one
 * per 5 minutes) so a flapping object cannot flood the apiserver.
 */

export interface CorrelatorOptions {
  readonly burst?: number;
  readonly refillMs?: number;
  readonly dedupWindowMs?: number;
  readonly maxEntries?: number;
  readonly now: () => number;
}

export type Correlation =
  | { readonly action: 'create' }
  | {
      readonly action: 'update';
      readonly name: string;
      readonly namespace: string;
      readonly count: number;
    }
  | { readonly action: 'drop' };

interface Bucket {
  tokens: number;
  last: number;
}

interface Seen {
  name: string | undefined;
  namespace: string;
  count: number;
  first: number;
}

/** Drops the oldest entries of a Map beyond `max` (Maps iterate in insertion order). */
function bound<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}

export class EventCorrelator {
  private readonly buckets = new Map<string, Bucket>();
  private readonly seen = new Map<string, Seen>();
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly dedupWindowMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: CorrelatorOptions) {
    this.burst = options.burst ?? 25;
    this.refillMs = options.refillMs ?? 300_000;
    this.dedupWindowMs = options.dedupWindowMs ?? 600_000;
    this.maxEntries = options.maxEntries ?? 4096;
  }

  /**
   * What to do with an event about `object` (a stable key of the regarding object) whose
   * identity (reason, type, note) is `identity`.
   */
  observe(object: string, identity: string, namespace: string): Correlation {
    const now = this.options.now();
    if (!this.take(object, now)) return { action: 'drop' };
    const key = `${object}\u0000${identity}`;
    const before = this.seen.get(key);
    if (before?.name !== undefined && now - before.first < this.dedupWindowMs) {
      before.count += 1;
      return {
        action: 'update',
        name: before.name,
        namespace: before.namespace,
        count: before.count,
      };
    }
    this.seen.delete(key);
    this.seen.set(key, { name: undefined, namespace, count: 1, first: now });
    bound(this.seen, this.maxEntries);
    return { action: 'create' };
  }

  /** Remembers the name of the event created for `object` and `identity`. */
  created(object: string, identity: string, name: string): void {
    const entry = this.seen.get(`${object}\u0000${identity}`);
    if (entry !== undefined) entry.name = name;
  }

  /** Forgets an event that could not be updated (deleted by the apiserver's TTL). */
  forget(object: string, identity: string): void {
    this.seen.delete(`${object}\u0000${identity}`);
  }

  private take(object: string, now: number): boolean {
    const bucket = this.buckets.get(object) ?? { tokens: this.burst, last: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.last) / this.refillMs);
    bucket.last = now;
    this.buckets.delete(object);
    this.buckets.set(object, bucket);
    bound(this.buckets, this.maxEntries);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
