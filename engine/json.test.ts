import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrayAt,
  at,
  changedExcept,
  field,
  isRecord,
  numberAt,
  sameJson,
  shareEqual,
  stringAt,
  stringMapAt,
} from './json.js';

describe('defensive JSON readers', () => {
  it('tells objects from arrays, null and scalars', () => {
    expect(isRecord({})).toBe(true);
    expect([[], null, 'x', 3, undefined].map(isRecord)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads own properties only, never the prototype', () => {
    expect(field({}, 'constructor')).toBeUndefined();
    expect(field({}, 'toString')).toBeUndefined();
    expect(field(JSON.parse('{"__proto__": {"polluted": true}}'), '__proto__')).toEqual({
      polluted: true,
    });
    expect(field([1], '0')).toBeUndefined();
  });

  it('walks paths and stops at the first missing step', () => {
    const object = { a: { b: { c: 'x', n: 2, bad: Number.NaN, list: [1] } } };
    expect(at(object, 'a', 'b', 'c')).toBe('x');
    expect(at(object, 'a', 'zz', 'c')).toBeUndefined();
    expect(stringAt(object, 'a', 'b', 'n')).toBeUndefined();
    expect(numberAt(object, 'a', 'b', 'n')).toBe(2);
    expect(numberAt(object, 'a', 'b', 'bad')).toBeUndefined();
    expect(arrayAt(object, 'a', 'b', 'list')).toEqual([1]);
    expect(arrayAt(object, 'a', 'b', 'c')).toEqual([]);
  });

  it('keeps only the string values of a map', () => {
    const labels = stringMapAt({ m: { labels: { a: 'x', b: 5, c: null } } }, 'm', 'labels');
    expect([...labels]).toEqual([['a', 'x']]);
    expect(stringMapAt({ m: 'nope' }, 'm').size).toBe(0);
  });

  it('compares JSON deeply, ignoring key order and undefined members', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([1], { 0: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('compares values nested a million levels deep without overflowing the stack', () => {
    const deep = (leaf: unknown): unknown => {
      let value = leaf;
      for (let i = 0; i < 1_000_000; i++) value = i % 2 === 0 ? [value] : { k: value };
      return value;
    };
    expect(sameJson(deep(1), deep(1))).toBe(true);
    expect(sameJson(deep(1), deep(2))).toBe(false);
  });

  it('agrees with a comparison of canonical JSON texts', () => {
    const canonical = (value: unknown): string =>
      JSON.stringify(value, (_key, v: unknown) =>
        isRecord(v)
          ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
          : v,
      );
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
    );
  });

  it('shares the parts of a copy that equal the original, and the original when all do', () => {
    const original = {
      spec: { role: 'r', tags: ['a', 'b'] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const copy = structuredClone(original) as typeof original & { spec: { suspended?: boolean } };
    copy.spec.suspended = false;
    const shared = shareEqual(copy, original);
    expect(shared).toBe(copy);
    expect(shared.status).toBe(original.status);
    expect(shared.spec).not.toBe(original.spec);
    expect(shared.spec.tags).toBe(original.spec.tags);
    expect(shared.spec.suspended).toBe(false);
    expect(shareEqual(structuredClone(original), original)).toBe(original);
    expect(shareEqual({ a: 1, b: undefined }, { a: 1 })).toEqual({ a: 1 });
    expect(shareEqual({ a: 1 }, { a: 1, b: 2 })).not.toHaveProperty('b');
    expect(shareEqual([1], { 0: 1 })).toEqual([1]);
    expect(shareEqual({ a: [1] }, { a: [1, 2] }).a).toEqual([1]);
  });

  it('shares equal parts of any JSON, never changes the original, and returns what the copy says', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, json, fc.boolean(), (a, b, equal) => {
        const copy = equal ? structuredClone(a) : structuredClone(b);
        const wanted = structuredClone(copy);
        const before = structuredClone(a);
        const shared = shareEqual(copy, a);
        expect(sameJson(shared, wanted)).toBe(true);
        expect(sameJson(a, before)).toBe(true);
        if (sameJson(a, wanted)) expect(shared).toBe(a);
      }),
    );
  });

  it('stops looking at a depth, without overflowing the stack on a hostile nesting', () => {
    const deep = (): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < 1_000_000; i++) value = i % 2 === 0 ? [value] : { k: value };
      return value;
    };
    const original = deep();
    const shared = shareEqual(deep(), original);
    expect(shared === original).toBe(false);
    expect(sameJson(shared, original)).toBe(true);
  });

  it('detects changes outside the ignored fields', () => {
    expect(changedExcept({ a: 1, b: 2 }, { a: 1, b: 3 }, ['b'])).toBe(false);
    expect(changedExcept({ a: 1, b: 2 }, { a: 2, b: 2 }, ['b'])).toBe(true);
    expect(changedExcept(undefined, { b: 1 }, ['b'])).toBe(false);
  });
});
