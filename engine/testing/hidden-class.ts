import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';

/**
 * V8's own view of objects, for the tests of engine/shape.ts: whether two objects share a hidden
 * class, and a function's results once V8 has optimized it (where a hidden class per object
 * shows). Natives syntax is allowed from here on in the test's process, and the functions that
 * use it are compiled from source after that (it cannot be written in a TypeScript module).
 */
setFlagsFromString('--allow-natives-syntax');

function native(source: string): unknown {
  return runInThisContext(source);
}

export const sameHiddenClass = native('(a, b) => %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;
const prepare = native('(f) => %PrepareFunctionForOptimization(f)') as (f: unknown) => void;
const optimizeNext = native('(f) => %OptimizeFunctionOnNextCall(f)') as (f: unknown) => void;

/**
 * `fn` called with each of `calls`, the first two times before V8 optimizes it (to gather its
 * type feedback), the others in its optimized code.
 */
export function optimizedResults<A extends unknown[], R>(
  fn: (...args: A) => R,
  calls: readonly A[],
): R[] {
  const [first] = calls;
  if (first === undefined) return [];
  prepare(fn);
  fn(...first);
  fn(...first);
  optimizeNext(fn);
  return calls.map((args) => fn(...args));
}
