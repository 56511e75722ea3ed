/**
 * A read-only map that reads as another with some values replaced, never a key added or removed,
 * in the other's order: the snapshot's capabilities after one Capability changed in place. A
 * copy of the 5,000-entry map for each change cost the admission thread about 0.7 s of a minute
 * of ten changes a second, and 200 KB of garbage each time. `get` reads the two maps; the first
 * walk over it (the controller's rounds walk the capabilities several times each) merges them
 * into a plain Map once, which every later walk reads: walking the two maps through a generator
 * cost three small arrays or objects per entry per walk, about 3 MB a round at full size.
 */
export class ReplacedMap<K, V> implements ReadonlyMap<K, V> {
  private merged: Map<K, V> | undefined;

  constructor(
    readonly base: ReadonlyMap<K, V>,
    readonly replaced: ReadonlyMap<K, V>,
  ) {}

  get(key: K): V | undefined {
    return this.replaced.has(key) ? this.replaced.get(key) : this.base.get(key);
  }

  has(key: K): boolean {
    return this.base.has(key);
  }

  get size(): number {
    return this.base.size;
  }

  entries(): MapIterator<[K, V]> {
    return this.whole().entries();
  }

  keys(): MapIterator<K> {
    return this.base.keys();
  }

  values(): MapIterator<V> {
    return this.whole().values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.whole().entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    this.whole().forEach((value, key) => {
      callback(value, key, this);
    });
  }

  /** Both maps as one plain Map, in the base's order: made on the first walk, then kept. */
  private whole(): ReadonlyMap<K, V> {
    if (this.merged === undefined) {
      const merged = new Map<K, V>();
      const { replaced } = this;
      this.base.forEach((value, key) => {
        merged.set(key, replaced.has(key) ? (replaced.get(key) as V) : value);
      });
      this.merged = merged;
    }
    return this.merged;
  }
}

/**
 * `map` with the values of `entries` replacing those of the same keys, without copying `map`:
 * the replacements accumulate in a small map over the same base, and once they outnumber
 * `limit` (about √(2n): the copies of the small map and the one copy of the whole then cost
 * about as much per change) the whole is copied into a plain Map again. `undefined` when a key of
 * `entries` is not in `map` (a replacement never adds a key).
 */
export function withReplaced<K, V>(
  map: ReadonlyMap<K, V>,
  entries: readonly (readonly [K, V])[],
  limit = Math.max(16, Math.ceil(Math.sqrt(2 * map.size))),
): ReadonlyMap<K, V> | undefined {
  const base = map instanceof ReplacedMap ? (map.base as ReadonlyMap<K, V>) : map;
  const replaced = new Map<K, V>(
    map instanceof ReplacedMap ? (map.replaced as ReadonlyMap<K, V>) : [],
  );
  for (const [key, value] of entries) {
    if (!base.has(key)) return undefined;
    replaced.set(key, value);
  }
  const result = new ReplacedMap(base, replaced);
  return replaced.size > limit ? new Map(result) : result;
}
