/**
 * Reuse by identity: the informer cache hands out the very same parsed object while an object is
 * unchanged, so "the same object" means "nothing changed" for whatever was derived from it.
 */
import { replacedPositions } from './list-delta.js';

/**
 * Whether two lists hold the very same items in the same order: without a walk when `b` was made
 * from `a` by replacing items (`replacedAt` records only positions that hold another item).
 */
export function sameItems(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a?.length !== b.length) return false;
  const replaced = replacedPositions(a, b);
  return replaced === undefined ? a.every((item, i) => item === b[i]) : replaced.length === 0;
}

/**
 * `compute`, called once per key object (weakly held): a cache of a pure function keyed by
 * identity, so the result is the same with or without it.
 */
export function once<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      memo.set(key, value);
    }
    return value;
  };
}
