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

  it("leaves out of the table an object's own uid and resourceVersion, and interns the rest", () => {
    const table = new StringTable(100);
    const object = () => ({
      metadata: {
        name: 'summarize',
        uid: crypto.randomUUID(),
        resourceVersion: String(Math.random()),
        labels: { team: 'support' },
        ownerReferences: [{ uid: 'owner' }],
      },
      spec: { owner: 'alice' },
      kind: 'Capability',
    });
    const first = table.internObject(object());
    // name, team, owner (the reference's uid is another object's), alice, Capability.
    expect(table.size).toBe(5);
    const second = table.internObject(object());
    expect(table.size).toBe(5);
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    expect(second).toMatchObject({ metadata: { name: 'summarize' }, spec: { owner: 'alice' } });
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.jsonValue({ maxDepth: 3 }),
        (metadata, rest) => {
          const json = { metadata, rest };
          expect(sameJson(table.internObject(structuredClone(json)), json)).toBe(true);
        },
      ),
    );
  });
});
