import { describe, expect, it } from 'vitest';
import { PartedMap, segment } from './parted.js';

const byNamespace = (key: string): string => segment(key, 1);

describe('PartedMap', () => {
  const a = new Map([
    ['Capability/a/x', 1],
    ['Delegation/a/y', 2],
  ]);
  const b = new Map([['Capability/b/x', 3]]);
  const cluster = new Map([['AccountableRole//r', 4]]);
  const map = new PartedMap(
    new Map([
      ['a', a],
      ['b', b],
    ]),
    cluster,
    byNamespace,
  );

  it('reads each key from its namespace’s map, and a key of no namespace from the cluster’s', () => {
    expect(map.get('Capability/a/x')).toBe(1);
    expect(map.get('Capability/b/x')).toBe(3);
    expect(map.get('AccountableRole//r')).toBe(4);
    // A key is looked for in its own namespace only.
    expect(map.get('Capability/b/y')).toBeUndefined();
    expect(map.get('Capability/c/x')).toBeUndefined();
    expect(map.has('Delegation/a/y')).toBe(true);
    expect(map.has('Delegation/b/y')).toBe(false);
  });

  it('is every entry of its maps once, as a Map of them would be', () => {
    const whole = new Map([...cluster, ...a, ...b]);
    expect(map.size).toBe(whole.size);
    expect(new Map(map)).toEqual(whole);
    expect([...map.keys()].sort()).toEqual([...whole.keys()].sort());
    expect([...map.values()].sort()).toEqual([...whole.values()].sort());
    const seen: string[] = [];
    map.forEach((value, key, self) => {
      expect(self).toBe(map);
      seen.push(`${key}=${String(value)}`);
    });
    expect(seen.sort()).toEqual([...whole].map(([k, v]) => `${k}=${String(v)}`).sort());
  });

  it('gives the entries that changed since another, skipping a namespace whose map is the same', () => {
    const b2 = new Map([
      ['Capability/b/x', 3],
      ['Capability/b/z', 5],
    ]);
    const cluster2 = new Map([['AccountableRole//r', 6]]);
    const next = new PartedMap(
      new Map([
        ['a', a],
        ['b', b2],
        ['c', new Map([['Capability/c/x', 7]])],
      ]),
      cluster2,
      byNamespace,
    );
    expect([...next.changedSince(map)].sort()).toEqual([
      ['AccountableRole//r', 6],
      ['Capability/b/z', 5],
      ['Capability/c/x', 7],
    ]);
    expect([...next.changedSince(undefined)]).toHaveLength(next.size);
    expect([...map.changedSince(map)]).toEqual([]);
  });
});

describe('segment', () => {
  it('is the nth part of a /-separated key, or empty', () => {
    expect(segment('apps/Deployment/ns/name', 2)).toBe('ns');
    expect(segment('/Pod/ns/name', 2)).toBe('ns');
    expect(segment('Kind//name', 1)).toBe('');
    expect(segment('ns/name', 0)).toBe('ns');
    expect(segment('name', 0)).toBe('name');
    expect(segment('name', 1)).toBe('');
  });
});
