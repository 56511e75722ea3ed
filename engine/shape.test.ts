import { describe, expect, it } from 'vitest';
import { extended } from './shape.js';
import { optimizedResults, sameHiddenClass } from './testing/hidden-class.js';

const bases = Array.from({ length: 20 }, (_, i) => ({
  metadata: { name: `pod-${String(i)}` },
  spec: { containers: [] },
  status: { phase: 'Running' },
}));

/** Whether `typed`'s results for every base, once V8 has optimized it, share one hidden class. */
function shareOnceOptimized(typed: (base: object) => object): boolean {
  const [first, ...rest] = optimizedResults(
    typed,
    bases.map((base) => [base] as [object]),
  );
  return first !== undefined && rest.every((object) => sameHiddenClass(first, object));
}

describe('objects that share hidden classes', () => {
  it('a leading spread that adds a key gives each object its own hidden class once optimized (Node.js 20); if this fails, V8 no longer does and shape.ts can go', () => {
    const typed = (base: object) => ({ ...base, apiVersion: 'v1', kind: 'Pod' });
    expect(shareOnceOptimized(typed)).toBe(false);
  });

  it('extended() shares one hidden class among objects of the same keys, optimized', () => {
    const typed = (base: object) => extended(base, { apiVersion: 'v1', kind: 'Pod' });
    expect(shareOnceOptimized(typed)).toBe(true);
  });

  it('extended() is the spread: same keys in the same order, extra winning', () => {
    const base = { a: 1, b: { c: 2 }, d: 'x' };
    const result = extended(base, { d: 'y', e: true });
    expect(result).toEqual({ ...base, d: 'y', e: true });
    expect(Object.keys(result)).toEqual(['a', 'b', 'd', 'e']);
    expect(result.b).toBe(base.b);
  });

  it('extended() keeps a __proto__ key as an own key, as a spread does, and never sets the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}') as object;
    const result = extended(parsed, { kind: 'Pod' });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect((result as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(result)).toEqual(['__proto__', 'name', 'kind']);
    expect(result).toEqual({ ...parsed, kind: 'Pod' });
  });
});
