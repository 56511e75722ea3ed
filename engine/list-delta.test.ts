import fc from 'fast-check';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { sameItems } from './identity.js';
import { keyPositions, replacedAt, replacedPositions } from './list-delta.js';

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

  it('knows nothing of a list made otherwise, or compared with another than its sources', () => {
    const a = [{ n: 1 }, { n: 2 }];
    const b = replacedAt(a, new Map([[1, { n: 3 }]]));
    const c = replacedAt(b, new Map([[0, { n: 4 }]]));
    expect(replacedPositions(a, b)).toEqual([1]);
    expect(replacedPositions(b, c)).toEqual([0]);
    expect(replacedPositions(a, c)).toEqual([0, 1]);
    expect(replacedPositions(c, a)).toBeUndefined();
    expect(replacedPositions(a, [...b])).toBeUndefined();
    expect(replacedPositions([...a], b)).toBeUndefined();
    expect(replacedPositions([...a], c)).toBeUndefined();
    expect(replacedPositions(b, b)).toEqual([]);
  });

  it('reads over the lists in between, up to 32 changes back, and only positions that differ', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.nat(5), fc.nat(3)), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 80,
        }),
        (steps) => {
          // Items by value: a position may get back the very item it held before.
          const items = [0, 1, 2, 3].map((value) => ({ value }));
          const lists: (readonly { value: number }[])[] = [
            [0, 1, 2, 3, 0, 1].map((value) => items[value] as { value: number }),
          ];
          for (const changes of steps) {
            const last = lists[lists.length - 1] ?? [];
            const next = replacedAt(
              last,
              new Map(changes.map(([at, value]) => [at, items[value] as { value: number }])),
            );
            if (next !== last) lists.push(next);
          }
          const newest = lists[lists.length - 1] ?? [];
          lists.forEach((list, i) => {
            const positions = replacedPositions(list, newest);
            const back = lists.length - 1 - i;
            if (back > 32) expect(positions).toBeUndefined();
            else {
              const differ = newest.flatMap((item, at) => (item === list[at] ? [] : [at]));
              expect(positions).toEqual(differ);
            }
          });
        },
      ),
    );
  });

  it('reaches back exactly 32 changes from the newest list of a long chain', () => {
    const lists: (readonly { n: number }[])[] = [[{ n: 0 }, { n: 0 }]];
    for (let n = 1; n <= 100; n += 1) {
      const list = replacedAt(lists[n - 1] ?? [], new Map([[n % 2, { n }]]));
      lists.push(list);
      if (n < 40) continue;
      expect(replacedPositions(lists[n - 1] ?? [], list)).toEqual([n % 2]);
      expect(replacedPositions(lists[n - 32] ?? [], list)).toEqual([0, 1]);
      expect(replacedPositions(lists[n - 33] ?? [], list)).toBeUndefined();
    }
  });

  it("keeps no list it was made from alive through the young generation's collections", async () => {
    // V8's own collector, for this test: the flag is read when a context is made.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    const oldSpace = (): number =>
      getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ??
      0;
    // Each step a task of its own, as a watch event is: a WeakRef's target is held at least to
    // the end of the task that made it, so only a later task's collection shows what is kept.
    const nextTask = (): Promise<void> =>
      new Promise((resolve) => {
        setImmediate(resolve);
      });
    let list: readonly number[] = Array.from({ length: 5_000 }, (_, i) => i);
    await nextTask();
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const before = oldSpace();
    // 200 lists of 40 KB: 8 MB promoted if each kept the one it was made from.
    let tenBack: readonly number[] = list;
    for (let n = 0; n < 200; n += 1) {
      list = replacedAt(list, new Map([[n, -1 - n]]));
      if (n === 189) tenBack = list;
      await nextTask();
      gc({ type: 'minor' });
    }
    gc({ type: 'minor' });
    expect(oldSpace() - before).toBeLessThan(2_000_000);
    // The records still read back over the lists in between, collected or not.
    expect(replacedPositions(tenBack, list)).toEqual(Array.from({ length: 10 }, (_, i) => 190 + i));
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

describe('keyPositions', () => {
  it('gives each key its position among the keys, in order', () => {
    expect([...keyPositions(['b', 'a', 'c'])]).toEqual([
      ['b', 0],
      ['a', 1],
      ['c', 2],
    ]);
    expect(keyPositions([]).size).toBe(0);
  });
});
