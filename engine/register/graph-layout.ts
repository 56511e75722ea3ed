import { compareText } from '../text.js';

/**
 * A deterministic layered layout of a directed graph, for the register's interaction graph:
 * callers left of callees, destinations outside the cluster in a column of their own on the
 * right. No library and no randomness: the same graph always gets the same picture.
 *
 * 1. Cycles are broken by a depth-first search in key order (its back edges are ignored).
 * 2. Each inside node's column is the longest path to it from a node nobody calls.
 * 3. Within each column, nodes are ordered by the mean row of their neighbours in the column
 *    before (then after), a few sweeps, ties broken by key, to cut crossings.
 * Cost: O((V + E) log V) per sweep, a fixed number of sweeps.
 */

export interface LayoutNode {
  /** Unique and stable: the layout breaks every tie by it. */
  readonly key: string;
  /** Outside the cluster: always in the last column. */
  readonly outside: boolean;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

export interface Slot {
  readonly column: number;
  readonly row: number;
}

export interface GraphLayout {
  /** Where each node goes, by key. */
  readonly slots: ReadonlyMap<string, Slot>;
  readonly columns: number;
  /** The number of rows of the tallest column. */
  readonly rows: number;
}

const SWEEPS = 4;

/** Out-neighbours by key, each list sorted and without repeats or self-loops. */
function adjacency(
  keys: readonly string[],
  edges: readonly LayoutEdge[],
): Map<string, readonly string[]> {
  const sets = new Map<string, Set<string>>(keys.map((key) => [key, new Set()]));
  for (const { from, to } of edges) {
    if (from !== to && sets.has(to)) sets.get(from)?.add(to);
  }
  return new Map([...sets].map(([key, targets]) => [key, [...targets].sort(compareText)]));
}

/** The edges of a depth-first search in key order that close a cycle, as `from\u0000to`. */
function backEdges(keys: readonly string[], out: ReadonlyMap<string, readonly string[]>) {
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  for (const root of keys) {
    if (state.has(root)) continue;
    // An explicit stack: a long chain of calls must not overflow the call stack.
    const stack: { key: string; next: number }[] = [{ key: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const targets = out.get(top.key) ?? [];
      const target = targets[top.next];
      if (target === undefined) {
        state.set(top.key, 'done');
        stack.pop();
        continue;
      }
      top.next++;
      const seen = state.get(target);
      if (seen === 'open') back.add(`${top.key}\u0000${target}`);
      else if (seen === undefined) {
        state.set(target, 'open');
        stack.push({ key: target, next: 0 });
      }
    }
  }
  return back;
}

/** Longest-path columns of the inside nodes over the acyclic edges (Kahn's order). */
function insideColumns(
  keys: readonly string[],
  out: ReadonlyMap<string, readonly string[]>,
  back: ReadonlySet<string>,
): Map<string, number> {
  const forward = new Map<string, string[]>();
  const indegree = new Map<string, number>(keys.map((key) => [key, 0]));
  for (const key of keys) {
    const targets = (out.get(key) ?? []).filter((to) => !back.has(`${key}\u0000${to}`));
    forward.set(key, targets);
    for (const to of targets) indegree.set(to, (indegree.get(to) ?? 0) + 1);
  }
  const column = new Map<string, number>(keys.map((key) => [key, 0]));
  const ready = keys.filter((key) => indegree.get(key) === 0);
  // The loop also visits the nodes pushed while it runs (an array iterator reads the length).
  for (const key of ready) {
    const next = (column.get(key) ?? 0) + 1;
    for (const to of forward.get(key) ?? []) {
      if ((column.get(to) ?? 0) < next) column.set(to, next);
      const left = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, left);
      if (left === 0) ready.push(to);
    }
  }
  return column;
}

/** Orders one column by the mean row of each node's neighbours already placed. */
function orderByNeighbours(
  column: readonly string[],
  neighbours: ReadonlyMap<string, readonly string[]>,
  rowOf: ReadonlyMap<string, number>,
  fixed: (key: string) => boolean,
): string[] {
  const weight = new Map<string, number>();
  for (const [index, key] of column.entries()) {
    const rows = (neighbours.get(key) ?? []).filter(fixed).map((n) => rowOf.get(n) ?? 0);
    weight.set(key, rows.length === 0 ? index : rows.reduce((a, b) => a + b, 0) / rows.length);
  }
  return [...column].sort(
    (a, b) => (weight.get(a) ?? 0) - (weight.get(b) ?? 0) || compareText(a, b),
  );
}

/** Places every node of the graph; edges naming unknown nodes are ignored. Pure. */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): GraphLayout {
  const sorted = [...nodes].sort((a, b) => compareText(a.key, b.key));
  const keys = sorted.map((node) => node.key);
  const inside = sorted.filter((node) => !node.outside).map((node) => node.key);
  const out = adjacency(keys, edges);
  const insideSet = new Set(inside);
  const insideOut = new Map(
    inside.map((key) => [key, (out.get(key) ?? []).filter((to) => insideSet.has(to))]),
  );
  const columnOf = insideColumns(inside, insideOut, backEdges(inside, insideOut));
  let outsideColumn = 0;
  for (const column of columnOf.values()) outsideColumn = Math.max(outsideColumn, column + 1);
  for (const node of sorted) if (node.outside) columnOf.set(node.key, outsideColumn);
  const columns: string[][] = [];
  for (const key of keys) {
    const index = columnOf.get(key) ?? 0;
    (columns[index] ??= []).push(key);
  }
  const filled = columns.filter((column) => column.length > 0);
  const incoming = new Map<string, string[]>(keys.map((key) => [key, []]));
  for (const [from, targets] of out) for (const to of targets) incoming.get(to)?.push(from);
  const rowOf = new Map<string, number>();
  const place = (column: readonly string[]) => {
    for (const [row, key] of column.entries()) rowOf.set(key, row);
  };
  filled.forEach(place);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? filled.keys() : [...filled.keys()].reverse();
    for (const index of order) {
      const neighbourColumn = filled[down ? index - 1 : index + 1];
      if (neighbourColumn === undefined) continue;
      const fixed = new Set(neighbourColumn);
      filled[index] = orderByNeighbours(filled[index] ?? [], down ? incoming : out, rowOf, (key) =>
        fixed.has(key),
      );
      place(filled[index] ?? []);
    }
  }
  const slots = new Map<string, Slot>();
  for (const [column, keysOfColumn] of filled.entries()) {
    for (const [row, key] of keysOfColumn.entries()) slots.set(key, { column, row });
  }
  return {
    slots,
    columns: filled.length,
    rows: filled.reduce((most, column) => Math.max(most, column.length), 0),
  };
}
