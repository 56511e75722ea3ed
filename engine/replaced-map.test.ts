import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replacedPositions } from './list-delta.js';
import { ReplacedMap, valuesOf, withReplaced } from './replaced-map.js';

describe('withReplaced: a map with some values replaced, without copying it', () => {
  it('reads as a copy with the values set, in the same order, however many times it is applied', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const change = fc.array(fc.tuple(fc.constantFrom(...keys), fc.integer()), { maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(change, fc.boolean()), { maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        (changes, limit) => {
          const first = new Map(keys.map((key, i) => [key, i]));
          let map: ReadonlyMap<string, number> = first;
          const copy = new Map(first);
          // The last list of values made: the next one made may say where it differs from it.
          let lastList: readonly number[] | undefined;
          for (const [entries, walk] of changes) {
            const next = withReplaced(map, entries, limit);
            if (next === undefined) throw new Error('a key of the map was refused');
            for (const [key, value] of entries) copy.set(key, value);
            // Some maps are never walked: the next one's list comes from an earlier one's.
            if (!walk) {
              map = next;
              continue;
            }
            const before = [...map];
            // The values first (their own list), then again once a walk of the entries merged it.
            const list = valuesOf(next);
            expect(list).toEqual([...copy.values()]);
            const positions =
              lastList === undefined ? undefined : replacedPositions(lastList, list);
            if (lastList !== undefined && positions !== undefined) {
              const old = lastList;
              expect(positions).toEqual(list.flatMap((value, i) => (value === old[i] ? [] : [i])));
            }
            lastList = list;
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

  it("makes its list of values from an earlier map's, over maps never walked, and says where", () => {
    const base = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
    const one = withReplaced(base, [['b', 20]]) ?? base;
    const first = valuesOf(one);
    const two = withReplaced(one, [['d', 40]]) ?? base;
    const three = withReplaced(two, [['a', 10]]) ?? base;
    const third = valuesOf(three);
    expect(third).toEqual([10, 20, 3, 40]);
    expect(replacedPositions(first, third)).toEqual([0, 3]);
    expect(third[1]).toBe(first[1]);
    // The map never walked still makes its own list, from the first.
    expect(valuesOf(two)).toEqual([1, 20, 3, 40]);
    expect(replacedPositions(first, valuesOf(two))).toEqual([3]);
    // A key set again to the value it had is no position that differs.
    const four = withReplaced(three, [['c', 3]]) ?? base;
    expect(valuesOf(four)).toBe(third);
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
