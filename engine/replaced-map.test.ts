import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplacedMap, withReplaced } from './replaced-map.js';

describe('withReplaced: a map with some values replaced, without copying it', () => {
  it('reads as a copy with the values set, in the same order, however many times it is applied', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const change = fc.array(fc.tuple(fc.constantFrom(...keys), fc.integer()), { maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        (changes, limit) => {
          const first = new Map(keys.map((key, i) => [key, i]));
          let map: ReadonlyMap<string, number> = first;
          const copy = new Map(first);
          for (const entries of changes) {
            const before = [...map];
            const next = withReplaced(map, entries, limit);
            if (next === undefined) throw new Error('a key of the map was refused');
            for (const [key, value] of entries) copy.set(key, value);
            // The values first (their own list), then again once a walk of the entries merged it.
            expect([...next.values()]).toEqual([...copy.values()]);
            expect([...next]).toEqual([...copy]);
            expect([...next.keys()]).toEqual(keys);
            expect([...next.values()]).toEqual([...copy.values()]);
            expect(next.size).toBe(copy.size);
            for (const key of [...keys, 'missing']) {
              expect(next.get(key)).toBe(copy.get(key));
              expect(next.has(key)).toBe(copy.has(key));
            }
            const seen: [string, number][] = [];
            next.forEach((value, key) => seen.push([key, value]));
            expect(seen).toEqual([...copy]);
            // The map it was made from reads as it did: a decision in flight may still hold it.
            expect([...map]).toEqual(before);
            if (next instanceof ReplacedMap) expect(next.replaced.size).toBeLessThanOrEqual(limit);
            map = next;
          }
          expect([...first]).toEqual(keys.map((key, i) => [key, i]));
        },
      ),
    );
  });

  it('never adds a key', () => {
    expect(withReplaced(new Map([['a', 1]]), [['b', 2]])).toBeUndefined();
  });

  it('copies the whole once the replacements outnumber the limit', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const once = withReplaced(map, [['a', 10]], 1);
    expect(once).toBeInstanceOf(ReplacedMap);
    const twice = withReplaced(once ?? map, [['b', 20]], 1);
    expect(twice).toBeInstanceOf(Map);
    expect([...(twice ?? [])]).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 3],
    ]);
  });
});
