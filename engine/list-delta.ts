/**
 * Lists made from another by replacing items at some positions, and which positions: a consumer
 * that compares such a list with the one it was made from reads those positions only, instead of
 * walking every item to find them. At 5,000 capabilities, each change of one was walked by
 * identity four times over (the schema gate's copy, the snapshot's re-index, the replaced map's
 * list of values, the regrouping): 9% of the controller thread's busy profile.
 *
 * The record is a hint that only its maker can give, held weakly by the new list: a list made
 * any other way has none, and a consumer then walks the two lists as before. Lists are read-only
 * once made (every list here is `readonly`), so a record stays true while its list lives. Records
 * chain, so a reader that skipped some lists still reads positions only.
 */

interface Delta {
  /**
   * The serial number of the list this one was made from ({@link serialOf}), not the list: a
   * reference to it, even a `WeakRef`, would keep it alive. V8's young-generation collector
   * treats a `WeakRef`'s target as held, so each list kept the one before it, and that one its
   * own, until the next full collection: at ten changes a second, megabytes of 40 KB arrays
   * promoted to the old generation, and more full collections.
   */
  readonly from: number;
  /** Ascending positions whose item is another than `from`'s; every other item is the same. */
  readonly at: readonly number[];
  /**
   * `from`'s own record, if it has one: a reader may compare with a list several changes back
   * (the snapshot and the round see only some of the schema gate's lists), and `from` itself may
   * be gone by then. Cut at {@link MAX_STEPS} records from the newest list made from it, so no
   * chain grows; an older list's reach may then be shorter (a reader compares the newest).
   */
  previous: Delta | undefined;
}

/**
 * The most changes a record reaches back: more between two readings of a list (ten changes a
 * second and their status writes, between two rounds) and the reader compares the lists itself.
 */
const MAX_STEPS = 32;

const deltas = new WeakMap<readonly unknown[], Delta>();

/** A serial number for each list a record was made from: numbers hold no list alive. */
const serials = new WeakMap<readonly unknown[], number>();
let lastSerial = 0;

function serialOf(list: readonly unknown[]): number {
  let serial = serials.get(list);
  if (serial === undefined) {
    lastSerial += 1;
    serial = lastSerial;
    serials.set(list, serial);
  }
  return serial;
}

/**
 * A copy of `from` with the item at each position of `replacements` replaced, and the record of
 * which positions now hold another item. `from` itself when none does (the same items are the
 * same list). Throws on a position outside `from`: a replacement never adds an item.
 */
export function replacedAt<T>(
  from: readonly T[],
  replacements: ReadonlyMap<number, T>,
): readonly T[] {
  const at: number[] = [];
  for (const [position, item] of replacements) {
    if (!Number.isInteger(position) || position < 0 || position >= from.length) {
      throw new RangeError(
        `position ${String(position)} is outside a list of ${String(from.length)}`,
      );
    }
    if (from[position] !== item) at.push(position);
  }
  if (at.length === 0) return from;
  const list = from.slice();
  for (const position of at) list[position] = replacements.get(position) as T;
  at.sort((a, b) => a - b);
  const delta: Delta = { from: serialOf(from), at, previous: deltas.get(from) };
  deltas.set(list, delta);
  // The chain's oldest record beyond the reach is let go: a reader that far behind walks.
  let last = delta;
  for (let steps = 1; steps < MAX_STEPS && last.previous !== undefined; steps += 1) {
    last = last.previous;
  }
  last.previous = undefined;
  return list;
}

/** Each key by its position among `keys`: where a list made in their order holds its item. */
export function keyPositions<K>(keys: Iterable<K>): Map<K, number> {
  const positions = new Map<K, number>();
  for (const key of keys) positions.set(key, positions.size);
  return positions;
}

/**
 * The ascending positions at which `list` holds another item than `from`, when `list` was made
 * from `from` by {@link replacedAt}, directly or over up to {@link MAX_STEPS} lists in between
 * (`[]` when they are the very same list); `undefined` when that is not known, and the caller
 * compares the two lists itself.
 */
export function replacedPositions(
  from: readonly unknown[],
  list: readonly unknown[],
): readonly number[] | undefined {
  if (from === list) return [];
  let delta = deltas.get(list);
  const serial = serials.get(from);
  if (delta === undefined || serial === undefined) return undefined;
  if (delta.from === serial) return delta.at;
  const positions = new Set(delta.at);
  for (delta = delta.previous; delta !== undefined; delta = delta.previous) {
    for (const position of delta.at) positions.add(position);
    if (delta.from !== serial) continue;
    // A position replaced twice may hold the very same item again.
    return [...positions]
      .filter((position) => from[position] !== list[position])
      .sort((a, b) => a - b);
  }
  return undefined;
}
