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
}

/** The table of this thread's informers (each thread has its own heap, so its own table). */
export const informerStrings = new StringTable();
