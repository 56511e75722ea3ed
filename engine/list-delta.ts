/**
 * Lists made from another by replacing items at some positions, and which positions: a consumer
 * that compares such a list with the one it was made from reads those positions only, instead of
 * walking every item to find them. At 5,000 capabilities, each change of one was walked by
 * identity four times over (the schema gate's copy, the snapshot's re-index, the replaced map's
 * list of values, the regrouping): 9% of the controller thread's busy profile.
 *
 * The record is a hint that only its maker can give, held weakly by the new list: a list made
 * any other way has none, and a consumer then walks the two lists as before. Lists are read-only
 * once made (every list here is `readonly`), so a record stays true while its list lives.
 */

interface Delta {
  /**
   * The list this one was made from, held weakly: held strongly, each list would keep every
   * earlier one alive through its record (a chain of 40 KB arrays, one per change).
   */
  readonly from: WeakRef<readonly unknown[]>;
  /** Ascending positions whose item is another than `from`'s; every other item is the same. */
  readonly at: readonly number[];
}

const deltas = new WeakMap<readonly unknown[], Delta>();

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
  deltas.set(list, { from: new WeakRef(from), at });
  return list;
}

/**
 * The positions at which `list` holds another item than `from`, when `list` was made from `from`
 * by {@link replacedAt} (`[]` when they are the very same list); `undefined` when that is not
 * known, and the caller compares the two lists itself.
 */
export function replacedPositions(
  from: readonly unknown[],
  list: readonly unknown[],
): readonly number[] | undefined {
  if (from === list) return [];
  const delta = deltas.get(list);
  return delta?.from.deref() === from ? delta.at : undefined;
}
