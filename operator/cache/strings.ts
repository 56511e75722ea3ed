/**
 * One copy of each repeated string value in the informers' stores. `JSON.parse` gives every
 * value its own string: 20,000 Pods hold 20,000 copies of `IfNotPresent`, of
 * `/dev/termination-log`, of their image and ServiceAccount names; 16,000 governance objects as
 * many of `oos.dev/v1alpha1`, `Ready` and `True`. Object keys are shared by V8 already.
 */

/** Longer strings are kept as they are: long text seldom repeats, and the table stays small. */
const MAX_LENGTH = 256;
/** Strings per generation (see {@link StringTable}). */
const GENERATION_SIZE = 20_000;
/**
 * An object's values that no other object shares and that change with each of its versions: a
 * watch event brings a new `resourceVersion` each time, and a `uid` is one object's alone. Held,
 * they would only push repeated values out of the table.
 */
const UNIQUE_METADATA: ReadonlySet<string> = new Set(['resourceVersion', 'uid']);

/**
 * A bounded table of strings in two generations: a string seen in this generation or the last is
 * found, and each generation holds at most {@link GENERATION_SIZE}; when this one is full, it
 * becomes the last and the last is dropped. A value that repeats keeps being found; one that
 * never does (a name, a uid, a timestamp) passes through and is forgotten, so the table never
 * grows with the cluster.
 */
export class StringTable {
  private current = new Map<string, string>();
  private last = new Map<string, string>();

  constructor(private readonly generationSize = GENERATION_SIZE) {}

  /** How many strings the table holds (both generations). */
  get size(): number {
    return this.current.size + this.last.size;
  }

  /** The table's copy of `value` (equal to it), recording `value` when there is none. */
  intern(value: string): string {
    if (value.length > MAX_LENGTH) return value;
    const found = this.current.get(value);
    if (found !== undefined) return found;
    const kept = this.last.get(value) ?? value;
    if (this.current.size >= this.generationSize) {
      this.last = this.current;
      this.current = new Map();
    }
    this.current.set(kept, kept);
    return kept;
  }

  /**
   * `value` with each string in it replaced by the table's copy, in place: for a value just
   * parsed from JSON that nothing else holds yet. Frozen objects are left alone. Iterative, so
   * any depth is walked.
   */
  internAll<T>(value: T): T {
    const pending: unknown[] = [value];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (typeof next !== 'object' || next === null || Object.isFrozen(next)) continue;
      const record = next as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        // Always assigned: two equal strings are === in JavaScript, whichever copy each is.
        if (typeof item === 'string') record[key] = this.intern(item);
        else if (typeof item === 'object' && item !== null) pending.push(item);
      }
    }
    return value;
  }

  /**
   * {@link internAll} for a Kubernetes object just parsed: every string but its own
   * {@link UNIQUE_METADATA}, which pass through without entering the table.
   */
  internObject<T>(object: T): T {
    if (typeof object !== 'object' || object === null || Object.isFrozen(object)) return object;
    const record = object as Record<string, unknown>;
    const { metadata } = record;
    if (typeof metadata !== 'object' || metadata === null || Object.isFrozen(metadata))
      return this.internAll(object);
    const fields = metadata as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const item = fields[key];
      if (typeof item === 'string') {
        if (!UNIQUE_METADATA.has(key)) fields[key] = this.intern(item);
      } else this.internAll(item);
    }
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') record[key] = this.intern(item);
      else if (item !== metadata) this.internAll(item);
    }
    return object;
  }
}

/** The table of this thread's informers (each thread has its own heap, so its own table). */
export const informerStrings = new StringTable();
