/**
 * Defensive reading of untrusted JSON (the object in an AdmissionReview can be anything).
 * Every reader returns `undefined` or an empty value instead of throwing, and only ever reads
 * own properties, so keys such as `constructor` or `__proto__` never reach the prototype.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when `value` is an object that owns `key`. */
export function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The value at `keys` below `value`, or undefined as soon as a step is missing. */
export function at(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) current = field(current, key);
  return current;
}

/** The string at `keys`, or undefined. */
export function stringAt(value: unknown, ...keys: readonly string[]): string | undefined {
  const found = at(value, ...keys);
  return typeof found === 'string' ? found : undefined;
}

/** The finite number at `keys`, or undefined. */
export function numberAt(value: unknown, ...keys: readonly string[]): number | undefined {
  const found = at(value, ...keys);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

/** The array at `keys`, or an empty one. */
export function arrayAt(value: unknown, ...keys: readonly string[]): readonly unknown[] {
  const found = at(value, ...keys);
  return Array.isArray(found) ? (found as readonly unknown[]) : [];
}

/** The string-to-string map at `keys` (non-string values skipped), as a Map. */
export function stringMapAt(
  value: unknown,
  ...keys: readonly string[]
): ReadonlyMap<string, string> {
  return toStringMap(at(value, ...keys));
}

/** A JSON object's string values as a Map; anything else gives an empty Map. */
export function toStringMap(value: unknown): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (!isRecord(value)) return map;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') map.set(key, entry);
  }
  return map;
}

/**
 * Deep equality of JSON values (object key order does not matter; a key whose value is undefined
 * counts as absent). Iterative, with its own stacks: a hostile object nested a million levels deep
 * is compared, never a stack overflow. Nothing is allocated per value compared (only the two
 * stacks grow): the controller compares every watch event and every status it plans this way.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const left: unknown[] = [a];
  const right: unknown[] = [b];
  while (left.length > 0) {
    const x = left.pop();
    const y = right.pop();
    if (x === y) continue;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        left.push(x[i]);
        right.push(y[i]);
      }
      continue;
    }
    if (!isRecord(x) || !isRecord(y)) return false;
    let defined = 0;
    for (const key in x) {
      if (!Object.hasOwn(x, key) || x[key] === undefined) continue;
      if (!Object.hasOwn(y, key)) return false;
      defined += 1;
      left.push(x[key]);
      right.push(y[key]);
    }
    for (const key in y) {
      if (Object.hasOwn(y, key) && y[key] !== undefined) defined -= 1;
    }
    if (defined !== 0) return false;
  }
  return true;
}

/** Whether two JSON objects differ in any field but `ignored`. */
export function changedExcept(
  a: JsonRecord | undefined,
  b: JsonRecord,
  ignored: readonly string[],
): boolean {
  const strip = (value: JsonRecord | undefined) =>
    Object.fromEntries(Object.entries(value ?? {}).filter(([key]) => !ignored.includes(key)));
  return !sameJson(strip(a), strip(b));
}

/** How deep {@link shareEqual} looks for equal parts; below, the copy's parts stay its own. */
const SHARE_DEPTH = 32;

/**
 * `copy`, with every part of it that equals (as {@link sameJson} says) the part at the same
 * place in `original` replaced by that part of `original`; `original` itself when the whole is
 * equal. What is then held once instead of twice: a schema's parsed output and the object it
 * parsed, which differ in a few defaults and dropped fields. The result equals `copy` as JSON.
 * `copy` must be a fresh value no one else holds yet: its arrays and objects are changed in place.
 * Recursive to {@link SHARE_DEPTH} levels only, so a hostile nesting never overflows the stack.
 */
export function shareEqual<T>(copy: T, original: unknown): T {
  return share(copy, original, 0) as T;
}

function share(copy: unknown, original: unknown, depth: number): unknown {
  if (copy === original || typeof copy !== 'object' || copy === null || depth > SHARE_DEPTH) {
    return copy;
  }
  if (Array.isArray(copy)) {
    if (!Array.isArray(original) || original.length !== copy.length) return copy;
    let same = true;
    for (let i = 0; i < copy.length; i += 1) {
      const part = share(copy[i], original[i], depth + 1);
      if (part !== copy[i]) copy[i] = part;
      if (part !== original[i]) same = false;
    }
    return same ? original : copy;
  }
  if (!isRecord(original) || Array.isArray(original)) return copy;
  const record = copy as Record<string, unknown>;
  let same = true;
  let defined = 0;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    defined += 1;
    if (!Object.hasOwn(original, key)) {
      same = false;
      continue;
    }
    const part = share(value, original[key], depth + 1);
    if (part !== value) record[key] = part;
    if (part !== original[key]) same = false;
  }
  if (!same) return copy;
  let originalDefined = 0;
  for (const key of Object.keys(original)) if (original[key] !== undefined) originalDefined += 1;
  return originalDefined === defined ? original : copy;
}
