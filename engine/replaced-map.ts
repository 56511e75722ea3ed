import { keyPositions, replacedAt } from './list-delta.js';

/**
 * A read-only map that reads as another with some values replaced, never a key added or removed,
 * in the other's order: the snapshot's capabilities after one Capability changed in place. A
 * copy of the 5,000-entry map for each change cost the admission thread about 0.7 s of a minute
 * of ten changes a second, and 200 KB of garbage each time. `get` reads the two maps. A walk of
 * the values (what the controller's rounds walk, several times each) reads one array of them,
 * made on the first walk and then kept: one pointer per entry. Walking the two maps through a
 * generator cost three small arrays or objects per entry per walk, about 3 MB a round at full
 * size; merging them into a plain Map, as the other walks do, about 0.6 MB a round (a Map grows
 * by copying its table), an eighth of what a round allocates after a Capability's spec changed.
 * A map made from another over the same base makes its list from the other's, replacing the
 * positions of the keys set since, so that list costs a copy, not a walk of both maps, and the
 * walks that compare the two lists read those positions only (`list-delta.ts`).
 */
export class ReplacedMap<K, V> implements ReadonlyMap<K, V> {
  private merged: Map<K, V> | undefined;
  private list: readonly V[] | undefined;

  /**
   * @param seed the list of values of an earlier map over the same base, and the keys whose
   * values may differ from it: this map's list is then that list with those positions replaced
   * (`replacedAt`, which records them for the walks that compare the two lists).
   */
  constructor(
    readonly base: ReadonlyMap<K, V>,
    readonly replaced: ReadonlyMap<K, V>,
    private seed?: Seed<K, V>,
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
    return this.merged === undefined ? this.valueList().values() : this.merged.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.whole().entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    this.whole().forEach((value, key) => {
      callback(value, key, this);
    });
  }

  /**
   * The values, in the base's order: made on the first walk of them, then kept. From the seed's
   * list when there is one (a copy with the seed's keys' positions replaced), else by a walk.
   */
  valueList(): readonly V[] {
    if (this.list !== undefined) return this.list;
    const { seed, replaced } = this;
    const replacements = seed === undefined ? undefined : this.replacementsOf(seed.keys);
    if (seed !== undefined && replacements !== undefined) {
      this.list = replacedAt(seed.list, replacements);
    } else {
      const list = new Array<V>(this.base.size);
      let i = 0;
      this.base.forEach((value, key) => {
        list[i] = replaced.has(key) ? (replaced.get(key) as V) : value;
        i += 1;
      });
      this.list = list;
    }
    this.seed = undefined;
    return this.list;
  }

  /** The values of `keys` by their positions in the base; `undefined` if one is not the base's. */
  private replacementsOf(keys: ReadonlySet<K>): Map<number, V> | undefined {
    const positions = positionsOf(this.base);
    const replacements = new Map<number, V>();
    for (const key of keys) {
      const position = positions.get(key);
      if (position === undefined) return undefined;
      replacements.set(position, this.get(key) as V);
    }
    return replacements;
  }

  /**
   * What a map made from this one by replacing the values of `keys` may make its list of values
   * from: this one's list if made, else this one's own seed with `keys` added; none without either.
   */
  seedFor(keys: Iterable<K>): Seed<K, V> | undefined {
    if (this.list !== undefined) return { list: this.list, keys: new Set(keys) };
    if (this.seed === undefined) return undefined;
    const all = new Set(this.seed.keys);
    for (const key of keys) all.add(key);
    return { list: this.seed.list, keys: all };
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

/** An earlier list of values over the same base, and the keys whose values may differ from it. */
interface Seed<K, V> {
  readonly list: readonly V[];
  readonly keys: ReadonlySet<K>;
}

/** Each base's keys by their position in it, made once per base on the first need. */
const positionsByBase = new WeakMap<ReadonlyMap<unknown, unknown>, ReadonlyMap<unknown, number>>();

function positionsOf<K>(base: ReadonlyMap<K, unknown>): ReadonlyMap<K, number> {
  let positions = positionsByBase.get(base) as ReadonlyMap<K, number> | undefined;
  if (positions === undefined) {
    positions = keyPositions(base.keys());
    positionsByBase.set(base, positions);
  }
  return positions;
}

/**
 * The values of `map` as an array, in its order: a {@link ReplacedMap}'s own list, kept while it
 * lives, else a copy. A walk that needs an array asks here rather than spreading `values()`: at
 * 5,000 capabilities, spreading the list's iterator allocated about 400 KB a round, five to ten
 * times what spreading a Map's iterator did (Node.js 20).
 */
export function valuesOf<K, V>(map: ReadonlyMap<K, V>): readonly V[] {
  return map instanceof ReplacedMap ? (map.valueList() as readonly V[]) : [...map.values()];
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
  if (replaced.size > limit) return new Map(new ReplacedMap(base, replaced));
  const seed = map instanceof ReplacedMap ? map.seedFor(entries.map(([key]) => key)) : undefined;
  return new ReplacedMap(base, replaced, seed as Seed<K, V> | undefined);
}
