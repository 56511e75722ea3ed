/**
 * A round's inputs by namespace, regrouped only where their source changed. The informer cache
 * hands out the very same list while a kind is unchanged, so each source (the workload list, the
 * snapshot's capability index, each status kind's list) is grouped again only when it is another
 * list; and a namespace's group keeps its identity while it holds the very same items, so what is
 * derived from it (the namespace's inputs, its plan) is reused by identity. After one change, a
 * round groups the changed kind's objects, not all 16,000.
 */
import { stringAt, type JsonRecord } from '../json.js';
import type { GovernanceObjects, GovernanceSnapshot } from '../snapshot.js';
import { sameItems } from '../identity.js';
import { replacedPositions } from '../list-delta.js';
import { valuesOf } from '../replaced-map.js';
import type { NamespaceInput } from './namespace.js';
import { STATUS_KINDS, type StatusObject } from './statuses.js';

/** One source grouped by namespace; items of no namespace are `cluster`. */
export interface SourceGroups<T> {
  /** What was grouped, by identity. */
  readonly source: unknown;
  /** Its items, in its order. */
  readonly items: readonly T[];
  readonly by: ReadonlyMap<string, readonly T[]>;
  readonly cluster: readonly T[];
}

/** A round's inputs, each grouped by namespace (see {@link groupByNamespace}). */
export interface Grouping {
  readonly workloads: SourceGroups<JsonRecord>;
  readonly capabilities: SourceGroups<NamespaceInput['capabilities'][number]>;
  /** Per status kind (the keys of `STATUS_KINDS`), its objects. */
  readonly kinds: ReadonlyMap<string, SourceGroups<StatusObject>>;
  /** Every status kind's objects of each namespace, in the kinds' order. */
  readonly objectsBy: ReadonlyMap<string, readonly StatusObject[]>;
  /** The cluster-scoped objects (AccountableRoles, GovernancePolicies). */
  readonly cluster: readonly StatusObject[];
}

const NONE: readonly never[] = [];

/**
 * `items` by namespace, or `before` when `source` is the very same; a namespace's group (and the
 * cluster's) that holds the very same items as before is before's, so it keeps its identity.
 * When the items are before's with some replaced in place (the same count, and each replaced
 * item in the namespace of the one it replaces: a watch event's new version of an object), only
 * the groups of the replaced items are made anew, from before's: no walk builds every group
 * again. Sliced: yields when `tick` says so.
 */
export function* regroup<T>(
  source: unknown,
  items: Iterable<T>,
  namespaceOf: (item: T) => string | undefined,
  before: SourceGroups<T> | undefined,
  tick: () => boolean,
): Generator<void, SourceGroups<T>, void> {
  if (before !== undefined && before.source === source) return before;
  const list: readonly T[] = Array.isArray(items) ? (items as readonly T[]) : [...items];
  const replaced = before === undefined ? undefined : replacedInPlace(before, list, namespaceOf);
  if (before !== undefined && replaced !== undefined) {
    return { ...regroupReplaced(before, replaced), source, items: list };
  }
  const by = new Map<string, T[]>();
  let cluster: T[] = [];
  for (const item of list) {
    const namespace = namespaceOf(item);
    if (namespace === undefined) cluster.push(item);
    else {
      const group = by.get(namespace);
      if (group === undefined) by.set(namespace, [item]);
      else group.push(item);
    }
    if (tick()) yield;
  }
  if (before === undefined) return { source, items: list, by, cluster };
  for (const [namespace, group] of by) {
    const old = before.by.get(namespace);
    if (old !== undefined && sameItems(old, group)) by.set(namespace, old as T[]);
  }
  if (sameItems(before.cluster, cluster)) cluster = before.cluster as T[];
  return { source, items: list, by, cluster };
}

/** The items replaced, old → new, with the namespace of each (`undefined`: the cluster's). */
type Replaced<T> = Map<T, { readonly item: T; readonly namespace: string | undefined }>;

/**
 * How `list` differs from `before.items` when only by items replaced in place, each in the
 * namespace of the one it replaces; `undefined` otherwise (an item added, removed or moved to
 * another namespace, or one item at two places), and the list is grouped afresh. Reads the
 * positions replaced only when the list says which (`replacedPositions`), else walks both lists
 * comparing identities; either way it reads the namespaces of the replaced items only.
 */
function replacedInPlace<T>(
  before: SourceGroups<T>,
  list: readonly T[],
  namespaceOf: (item: T) => string | undefined,
): Replaced<T> | undefined {
  const old = before.items;
  if (old.length !== list.length) return undefined;
  const replaced: Replaced<T> = new Map();
  const compare = (i: number): boolean => {
    const was = old[i] as T;
    const now = list[i] as T;
    if (was === now) return true;
    const namespace = namespaceOf(now);
    if (namespaceOf(was) !== namespace || replaced.has(was)) return false;
    replaced.set(was, { item: now, namespace });
    return true;
  };
  const known = replacedPositions(old, list);
  if (known === undefined) {
    for (let i = 0; i < list.length; i += 1) if (!compare(i)) return undefined;
  } else if (!known.every(compare)) return undefined;
  return replaced;
}

/** `before`'s groups with the `replaced` items swapped in: the others keep their identity. */
function regroupReplaced<T>(
  before: SourceGroups<T>,
  replaced: Replaced<T>,
): Pick<SourceGroups<T>, 'by' | 'cluster'> {
  if (replaced.size === 0) return before;
  const swap = (group: readonly T[]): T[] => group.map((item) => replaced.get(item)?.item ?? item);
  const by = new Map(before.by);
  let { cluster } = before;
  const done = new Set<string | undefined>();
  for (const { namespace } of replaced.values()) {
    if (done.has(namespace)) continue;
    done.add(namespace);
    if (namespace === undefined) cluster = swap(cluster);
    else by.set(namespace, swap(before.by.get(namespace) ?? NONE));
  }
  return { by, cluster };
}

/**
 * The objects of a status kind in `namespace`, as `grouping` holds them: the very same list from
 * one round to the next while they are the same items, and one shared empty list when there are
 * none (a new `[]` each round would read as a change).
 */
export function objectsOf(grouping: Grouping, kind: string, namespace: string): readonly unknown[] {
  return grouping.kinds.get(kind)?.by.get(namespace) ?? NONE;
}

/** Concatenates the lists; `before` when each list is the very same as the one it was made of. */
function joined<T>(
  lists: readonly (readonly T[])[],
  before: { readonly lists: readonly (readonly T[])[]; readonly joined: readonly T[] } | undefined,
): readonly T[] {
  if (before !== undefined && sameItems(before.lists, lists)) return before.joined;
  return lists.length === 1 ? (lists[0] ?? NONE) : lists.flatMap((list) => list);
}

/**
 * A round's workloads, indexed capabilities and status objects by namespace, with the previous
 * round's groups reused wherever their source is the same (see the module's comment). Sliced.
 */
export function* groupByNamespace(
  workloads: Iterable<JsonRecord>,
  snapshot: GovernanceSnapshot,
  objects: GovernanceObjects,
  before: Grouping | undefined,
  tick: () => boolean,
): Generator<
  void,
  { readonly namespaces: Map<string, NamespaceInput>; readonly grouping: Grouping },
  void
> {
  const workloadGroups = yield* regroup(
    workloads,
    workloads,
    (w) => stringAt(w, 'metadata', 'namespace') ?? '',
    before?.workloads,
    tick,
  );
  const { capabilities } = snapshot;
  const capabilityGroups = yield* regroup(
    capabilities,
    valuesOf(capabilities),
    (c) => c.namespace,
    before?.capabilities,
    tick,
  );
  const kinds = new Map<string, SourceGroups<StatusObject>>();
  for (const [name, kind] of Object.entries(STATUS_KINDS)) {
    const list = kind.list(objects);
    kinds.set(
      name,
      yield* regroup(list, list, (o) => o.metadata.namespace, before?.kinds.get(name), tick),
    );
  }
  const groups = [...kinds.values()];
  const namespaceNames = new Set<string>();
  for (const by of [workloadGroups.by, capabilityGroups.by, ...groups.map((g) => g.by)]) {
    for (const namespace of by.keys()) namespaceNames.add(namespace);
  }
  const objectsBy = new Map<string, readonly StatusObject[]>();
  const beforeGroups = before === undefined ? undefined : [...before.kinds.values()];
  const namespaces = new Map<string, NamespaceInput>();
  for (const namespace of namespaceNames) {
    const own = joined(
      groups.map((g) => g.by.get(namespace) ?? NONE),
      beforeGroups && {
        lists: beforeGroups.map((g) => g.by.get(namespace) ?? NONE),
        joined: before?.objectsBy.get(namespace) ?? NONE,
      },
    );
    if (own.length > 0) objectsBy.set(namespace, own);
    namespaces.set(namespace, {
      namespace,
      workloads: workloadGroups.by.get(namespace) ?? NONE,
      capabilities: capabilityGroups.by.get(namespace) ?? NONE,
      objects: own,
    });
  }
  const cluster = joined(
    groups.map((g) => g.cluster),
    before && { lists: beforeGroups?.map((g) => g.cluster) ?? [], joined: before.cluster },
  );
  return {
    namespaces,
    grouping: {
      workloads: workloadGroups,
      capabilities: capabilityGroups,
      kinds,
      objectsBy,
      cluster,
    },
  };
}
