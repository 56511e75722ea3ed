/**
 * What the controller wrote, remembered until the informer cache catches up: a reconcile that
 * runs before the watch delivers our own write must see the write, or it would notify a level
 * twice or move a lastTransitionTime. Like client-go's mutation cache.
 */

interface Versioned {
  readonly metadata: { readonly resourceVersion?: string | undefined };
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

  /** Remembers the object the apiserver returned for a write. */
  record(key: string, object: T): void {
    this.entries.set(key, { object, until: this.now() + this.ttlMs });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Our writes not yet known to be superseded (objects we created may not be cached yet). */
  pending(): T[] {
    const now = this.now();
    return [...this.entries.values()].filter((e) => e.until >= now).map((e) => e.object);
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
