import { describe, expect, it } from 'vitest';
import { layoutGraph, type LayoutEdge, type LayoutNode } from './graph-layout.js';

const inside = (...keys: string[]): LayoutNode[] => keys.map((key) => ({ key, outside: false }));
const edge = (from: string, to: string): LayoutEdge => ({ from, to });

function slotsOf(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]) {
  return Object.fromEntries(
    [...layoutGraph(nodes, edges).slots].map(([key, slot]) => [
      key,
      `${String(slot.column)}:${String(slot.row)}`,
    ]),
  );
}

/** Pairs of edges between the same two columns whose ends are in opposite orders. */
function crossings(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): number {
  const { slots } = layoutGraph(nodes, edges);
  let count = 0;
  for (const [i, a] of edges.entries()) {
    for (const b of edges.slice(i + 1)) {
      const [a1, a2, b1, b2] = [a.from, a.to, b.from, b.to].map((key) => slots.get(key));
      if (!a1 || !a2 || !b1 || !b2) continue;
      if (a1.column !== b1.column || a2.column !== b2.column) continue;
      if ((a1.row - b1.row) * (a2.row - b2.row) < 0) count++;
    }
  }
  return count;
}

describe('layoutGraph', () => {
  it('puts callers left of callees, by the longest path, and the outside in a last column', () => {
    const nodes = [...inside('a', 'b', 'c', 'd'), { key: 'net', outside: true }];
    const edges = [edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('d', 'net')];
    const layout = layoutGraph(nodes, edges);
    expect(layout.columns).toBe(4);
    expect(layout.slots.get('a')?.column).toBe(0);
    expect(layout.slots.get('b')?.column).toBe(1);
    expect(layout.slots.get('c')?.column).toBe(2); // a -> b -> c, not a -> c
    expect(layout.slots.get('d')?.column).toBe(0);
    expect(layout.slots.get('net')?.column).toBe(3);
    expect(layout.rows).toBe(2);
  });

  it('is deterministic whatever the order of its input', () => {
    const nodes = inside('x', 'y', 'z', 'w', 'v');
    const edges = [edge('x', 'y'), edge('y', 'z'), edge('z', 'x'), edge('w', 'y'), edge('v', 'z')];
    const reversed = slotsOf([...nodes].reverse(), [...edges].reverse());
    expect(slotsOf(nodes, edges)).toEqual(reversed);
  });

  it('breaks cycles instead of looping, and places every node once', () => {
    const nodes = inside('a', 'b', 'c');
    const layout = layoutGraph(nodes, [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')]);
    expect([...layout.slots.keys()].sort()).toEqual(['a', 'b', 'c']);
    // The search starts at a: c -> a closes the cycle and is the edge left out.
    expect(slotsOf(nodes, [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')])).toEqual({
      a: '0:0',
      b: '1:0',
      c: '2:0',
    });
  });

  it('ignores self-loops, repeated edges and edges to unknown nodes', () => {
    const nodes = inside('a', 'b');
    expect(
      slotsOf(nodes, [edge('a', 'a'), edge('a', 'b'), edge('a', 'b'), edge('a', 'zz')]),
    ).toEqual({ a: '0:0', b: '1:0' });
  });

  it('orders each column by its neighbours, so parallel chains do not cross', () => {
    // In key order alone, a1 (row 0) would call z-of-a (row 2) and c1 (row 2) x-of-c (row 0).
    const nodes = inside('a1', 'b1', 'c1', 'x-of-c', 'y-of-b', 'z-of-a');
    const edges = [edge('a1', 'z-of-a'), edge('b1', 'y-of-b'), edge('c1', 'x-of-c')];
    expect(crossings(nodes, edges)).toBe(0);
    const layout = layoutGraph(nodes, edges);
    expect(layout.slots.get('z-of-a')?.row).toBe(layout.slots.get('a1')?.row);
  });

  it('lays out an empty graph, and a long chain without overflowing the stack', () => {
    expect(layoutGraph([], [])).toEqual({ slots: new Map(), columns: 0, rows: 0 });
    const keys = Array.from({ length: 10_000 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const chain = keys.slice(1).map((key, i) => edge(keys[i] ?? '', key));
    const layout = layoutGraph(inside(...keys), chain);
    expect(layout.columns).toBe(10_000);
    expect(layout.slots.get('n09999')).toEqual({ column: 9_999, row: 0 });
  });
});
