import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameJson } from '../../engine/json.js';
import { StringTable } from './strings.js';

describe('StringTable: one copy of each repeated string value', () => {
  it('changes no value of what it walks, at any depth, and leaves frozen objects alone', () => {
    const table = new StringTable(50);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (json) => {
        const copy = structuredClone(json);
        expect(sameJson(table.internAll(copy), json)).toBe(true);
      }),
    );
    const frozen = Object.freeze({ a: 'x' });
    expect(table.internAll({ frozen, list: ['y', { z: 'w' }] })).toEqual({
      frozen: { a: 'x' },
      list: ['y', { z: 'w' }],
    });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { k: deep };
    expect(() => table.internAll(deep)).not.toThrow();
  });

  it('stays bounded however many distinct strings pass', () => {
    const table = new StringTable(100);
    for (let i = 0; i < 10_000; i++) {
      expect(table.intern(`uid-${String(i)}`)).toBe(`uid-${String(i)}`);
      expect(table.intern('IfNotPresent')).toBe('IfNotPresent');
    }
    expect(table.size).toBeLessThanOrEqual(200);
    expect(table.intern('x'.repeat(300))).toBe('x'.repeat(300));
    expect(table.size).toBeLessThanOrEqual(200);
  });
});
