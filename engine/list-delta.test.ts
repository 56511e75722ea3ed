import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameItems } from './identity.js';
import { replacedAt, replacedPositions } from './list-delta.js';

describe('replacedAt and replacedPositions: a list made by replacing some items, and where', () => {
  it('copies the list with the items replaced and records exactly the positions that differ', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 })), { maxLength: 6 }),
        (values, changes) => {
          const from = values.map((value) => ({ value }));
          const replacements = new Map(
            changes.map(([at, value]) => {
              const position = at % from.length;
              // Sometimes the very same item (no change there), sometimes a new one.
              const item = value === 0 ? from[position] : { value };
              return [position, item as { value: number }];
            }),
          );
          const snapshot = [...from];
          const list = replacedAt(from, replacements);
          const expected = from.map((item, i) => replacements.get(i) ?? item);
          expect(list).toEqual(expected);
          for (let i = 0; i < list.length; i += 1) expect(list[i]).toBe(expected[i]);
          const differ = expected.flatMap((item, i) => (item === from[i] ? [] : [i]));
          expect(replacedPositions(from, list)).toEqual(differ);
          if (differ.length === 0) expect(list).toBe(from);
          else expect(list).not.toBe(from);
          // The list it was made from is left as it was.
          expect(from).toEqual(snapshot);
        },
      ),
    );
  });

  it('knows nothing of a list made otherwise, or compared with another than its source', () => {
    const a = [{ n: 1 }, { n: 2 }];
    const b = replacedAt(a, new Map([[1, { n: 3 }]]));
    const c = replacedAt(b, new Map([[0, { n: 4 }]]));
    expect(replacedPositions(a, b)).toEqual([1]);
    expect(replacedPositions(b, c)).toEqual([0]);
    expect(replacedPositions(a, c)).toBeUndefined();
    expect(replacedPositions(a, [...b])).toBeUndefined();
    expect(replacedPositions([...a], b)).toBeUndefined();
    expect(replacedPositions(b, b)).toEqual([]);
  });

  it('never adds an item', () => {
    expect(() => replacedAt([1, 2], new Map([[2, 3]]))).toThrow(RangeError);
    expect(() => replacedAt([1, 2], new Map([[-1, 3]]))).toThrow(RangeError);
    expect(() => replacedAt([1, 2], new Map([[0.5, 3]]))).toThrow(RangeError);
  });
});

describe('sameItems with a recorded list', () => {
  it('is false without a walk for a list made by replacing an item, true for the same list', () => {
    const a = [{ n: 1 }, { n: 2 }];
    const b = replacedAt(a, new Map([[1, { n: 3 }]]));
    expect(sameItems(a, b)).toBe(false);
    expect(sameItems(a, replacedAt(a, new Map([[1, a[1] as { n: number }]])))).toBe(true);
    expect(sameItems(a, [...a])).toBe(true);
    expect(sameItems(b, [...b])).toBe(true);
    expect(sameItems(a, [a[0]])).toBe(false);
  });
});
