import { withoutBookkeeping } from '../cache/informer.js';

/**
 * What the controller wrote, remembered until the informer cache catches up: a reconcile that
 * runs before the watch delivers our own write must see the write, or it would notify a level
 * twice or move a lastTransitionTime. Like client-go's mutation cache. An entry is dropped as soon
 * as a lookup finds the cache at its version or newer, or once its time to live is over.
 */

interface Versioned {
  readonly metadata: { readonly resourceVersion?: string };
}

interface Entry<T> {
  readonly object: T;
  readonly until: number;
}

function version(object: Versioned): bigint | undefined {
  const text = object.metadata.resourceVersion;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return BigInt(text);
}

export class WriteOverlay<T extends Versioned> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Remembers the object the apiserver returned for a write, as the cache would hold it: without
   * its `managedFields`, which a write's answer carries and which are often most of the object.
   */
  record(key: string, object: T): void {
    this.entries.set(key, { object: withoutBookkeeping(object), until: this.now() + this.ttlMs });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Our writes not yet known to be superseded (objects we created may not be cached yet). */
  pending(): T[] {
    const now = this.now();
    const live: T[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.until >= now) live.push(entry.object);
      else this.entries.delete(key);
    }
    return live;
  }

  /** How many writes it remembers. */
  get size(): number {
    return this.entries.size;
  }

  /** The newer of the cached object and our last write of it. */
  resolve(key: string, cached: T | undefined): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return cached;
    if (entry.until < this.now()) {
      this.entries.delete(key);
      return cached;
    }
    if (cached === undefined) return entry.object;
    const mine = version(entry.object);
    const theirs = version(cached);
    if (mine === undefined || theirs === undefined || theirs >= mine) {
      this.entries.delete(key);
      return cached;
    }
    return entry.object;
  }
}
