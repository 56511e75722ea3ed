/**
 * A read-only map made of one map per namespace and one of the cluster-scoped keys, read in
 * place: a round hands out its namespaces' maps as they were planned (most reused from the round
 * before) instead of copying tens of thousands of entries into new round-wide maps each time.
 */
export class PartedMap<V> implements ReadonlyMap<string, V> {
  private counted: number | undefined;

  /**
   * @param parts each namespace's entries, by namespace
   * @param cluster the entries whose key names no namespace
   * @param namespaceOf the namespace a key names ('' for none)
   */
  constructor(
    private readonly parts: ReadonlyMap<string, ReadonlyMap<string, V>>,
    private readonly cluster: ReadonlyMap<string, V>,
    private readonly namespaceOf: (key: string) => string,
  ) {}

  get(key: string): V | undefined {
    const namespace = this.namespaceOf(key);
    return namespace === '' ? this.cluster.get(key) : this.parts.get(namespace)?.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    if (this.counted === undefined) {
      let size = this.cluster.size;
      for (const part of this.parts.values()) size += part.size;
      this.counted = size;
    }
    return this.counted;
  }

  *entries(): MapIterator<[string, V]> {
    yield* this.cluster.entries();
    for (const part of this.parts.values()) yield* part.entries();
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  /**
   * The entries that are not the very same value in `before` (all of them without it): a
   * namespace whose map is the very same as before is skipped without reading it.
   */
  *changedSince(before: PartedMap<V> | undefined): Generator<[string, V], void, void> {
    if (before === undefined) {
      yield* this.entries();
      return;
    }
    for (const [key, value] of this.cluster)
      if (before.cluster.get(key) !== value) yield [key, value];
    for (const [namespace, part] of this.parts) {
      const old = before.parts.get(namespace);
      if (old === part) continue;
      for (const [key, value] of part) if (old?.get(key) !== value) yield [key, value];
    }
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/** The `n`th `/`-separated segment of a key ('' when it has none). */
export function segment(key: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i += 1) {
    const slash = key.indexOf('/', start);
    if (slash < 0) return '';
    start = slash + 1;
  }
  const end = key.indexOf('/', start);
  return end < 0 ? key.slice(start) : key.slice(start, end);
}
