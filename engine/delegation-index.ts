/**
 * The snapshot's index of Delegations: by namespace, capability and ServiceAccount, the latest
 * first; and the ServiceAccounts holding any Delegation of each capability. Built once from the
 * whole list, then kept up to date by the Delegations a change replaced, removed or added.
 * Indexing all 10,000 Delegations of `bench/large-governance.ts` again for one Delegation
 * changed held admission's event loop for about 85 ms with the collection after it, and the
 * controller thread's as long (bench/README.md, fifteenth session).
 */
import type { Delegation } from '../api/index.js';
import { once } from './identity.js';
import { sameJson } from './json.js';
import { delegationKey, objectKey } from './keys.js';
import { withReplaced } from './replaced-map.js';
import { parseTime } from './time.js';
import { compareText } from './text.js';

export interface IndexedDelegation {
  readonly namespace: string;
  readonly name: string;
  readonly capability: string;
  readonly serviceAccount: string;
  /** validFrom (else creation) in ms; -Infinity when neither is known. */
  readonly from: number;
  /** validUntil in ms; -Infinity when unreadable (always expired). */
  readonly until: number;
  /** validUntil as written (optional: built by hand elsewhere, formatTime(until) stands in). */
  readonly validUntil?: string;
  readonly revoked: boolean;
}

/** Read by key only: nothing walks these maps, so their order carries no meaning. */
export interface DelegationIndex {
  /** By {@link delegationKey}; latest validUntil first, then by name. */
  readonly delegations: ReadonlyMap<string, readonly IndexedDelegation[]>;
  /** Names of the ServiceAccounts holding any delegation of a capability, by {@link objectKey}. */
  readonly delegatedServiceAccounts: ReadonlyMap<string, readonly string[]>;
}

/** Reads the spec, and of the metadata the namespace, name and creation only (`indexesAlike`). */
export const indexDelegation = once((delegation: Delegation): IndexedDelegation => {
  const { spec, metadata } = delegation;
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    capability: spec.capability,
    serviceAccount: spec.serviceAccount,
    from: parseTime(spec.validFrom ?? metadata.creationTimestamp) ?? -Infinity,
    until: parseTime(spec.validUntil) ?? -Infinity,
    validUntil: spec.validUntil,
    revoked: spec.revoked,
  };
});

/**
 * The latest validUntil first; equal ones by name (unique in a namespace, so in a group): a total
 * order, the same however the group was built.
 */
function latestFirst(a: IndexedDelegation, b: IndexedDelegation): number {
  if (a.until !== b.until) return a.until < b.until ? 1 : -1;
  return compareText(a.name, b.name);
}

const groupKey = (d: IndexedDelegation): string =>
  delegationKey(d.namespace, d.capability, d.serviceAccount);

export function indexDelegations(list: readonly Delegation[]): DelegationIndex {
  const delegations = new Map<string, IndexedDelegation[]>();
  const delegated = new Map<string, Set<string>>();
  for (const item of list) {
    const delegation = indexDelegation(item);
    const key = groupKey(delegation);
    const group = delegations.get(key);
    if (group === undefined) delegations.set(key, [delegation]);
    else group.push(delegation);
    const capability = objectKey(delegation.namespace, delegation.capability);
    const accounts = delegated.get(capability) ?? new Set<string>();
    delegated.set(capability, accounts.add(delegation.serviceAccount));
  }
  for (const group of delegations.values()) group.sort(latestFirst);
  const delegatedServiceAccounts = new Map(
    [...delegated].map(([key, accounts]) => [key, [...accounts].sort()] as const),
  );
  return { delegations, delegatedServiceAccounts };
}

/** Whether two versions of a Delegation index the same: everything {@link indexDelegation} reads. */
function indexesAlike(was: Delegation, now: Delegation): boolean {
  if (was.spec === now.spec) {
    const [a, b] = [was.metadata, now.metadata];
    return (
      a.namespace === b.namespace &&
      a.name === b.name &&
      a.creationTimestamp === b.creationTimestamp
    );
  }
  return sameJson(indexDelegation(was), indexDelegation(now));
}

/**
 * What changed from `before` to `list`, as the informer's store changes a list: an object
 * replaced where it was (the same namespace and name), removed anywhere, added at the end. One
 * walk comparing identities; a version that indexes alike (its status written: the controller
 * writes every Delegation's) is no change. Any other change of the list still comes out right
 * (everything not paired is removed or added), only larger: `undefined` past `limit` changes.
 */
function changes(
  before: readonly Delegation[],
  list: readonly Delegation[],
  limit: number,
): { removed: IndexedDelegation[]; added: IndexedDelegation[] } | undefined {
  const removed: IndexedDelegation[] = [];
  const added: IndexedDelegation[] = [];
  let j = 0;
  for (const was of before) {
    const now = list[j];
    if (was === now) {
      j += 1;
      continue;
    }
    const sameName =
      now !== undefined &&
      was.metadata.namespace === now.metadata.namespace &&
      was.metadata.name === now.metadata.name;
    if (sameName) {
      j += 1;
      if (indexesAlike(was, now)) continue;
      added.push(indexDelegation(now));
    }
    removed.push(indexDelegation(was));
    if (removed.length + added.length > limit) return undefined;
  }
  for (const now of list.slice(j)) added.push(indexDelegation(now));
  return removed.length + added.length > limit ? undefined : { removed, added };
}

/** `map` with `set` written and `deleted` removed: no copy of it when no key comes or goes. */
function withChanges<V>(
  map: ReadonlyMap<string, V>,
  set: ReadonlyMap<string, V>,
  deleted: ReadonlySet<string>,
): ReadonlyMap<string, V> {
  if (set.size === 0 && deleted.size === 0) return map;
  if (deleted.size === 0 && [...set.keys()].every((key) => map.has(key))) {
    const replaced = withReplaced(map, [...set]);
    if (replaced !== undefined) return replaced;
  }
  const copy = new Map(map);
  for (const key of deleted) copy.delete(key);
  for (const [key, value] of set) copy.set(key, value);
  return copy;
}

/**
 * The index of `list` from `before`, the index of `beforeList`: only the groups of the
 * Delegations replaced, removed or added are built again (a group is a few Delegations), and the
 * maps are not copied when no group comes or goes (`withReplaced`). Reads the same as
 * `indexDelegations(list)`. `undefined` when more changed than is worth it (a relist): the
 * caller indexes the list afresh.
 */
export function reindexDelegations(
  beforeList: readonly Delegation[],
  before: DelegationIndex,
  list: readonly Delegation[],
): DelegationIndex | undefined {
  const changed = changes(beforeList, list, Math.max(32, Math.sqrt(list.length)));
  if (changed === undefined) return undefined;
  const { removed, added } = changed;
  const groups = new Map<string, IndexedDelegation[]>();
  const group = (key: string): IndexedDelegation[] => {
    let found = groups.get(key);
    if (found === undefined) {
      found = [...(before.delegations.get(key) ?? [])];
      groups.set(key, found);
    }
    return found;
  };
  // By name (unique in the group's namespace): a group may hold an earlier version that indexes alike.
  for (const delegation of removed) {
    const members = group(groupKey(delegation));
    const at = members.findIndex((member) => member.name === delegation.name);
    if (at < 0) return undefined;
    members.splice(at, 1);
  }
  for (const delegation of added) group(groupKey(delegation)).push(delegation);
  const set = new Map<string, IndexedDelegation[]>();
  const gone = new Set<string>();
  const accounts = new Map<string, string[]>();
  const accountsGone = new Set<string>();
  for (const [key, members] of groups) {
    const first = (before.delegations.get(key) ?? members)[0];
    if (first === undefined) continue;
    const wasHeld = before.delegations.has(key);
    if (members.length === 0) gone.add(key);
    else set.set(key, members.sort(latestFirst));
    if (wasHeld === members.length > 0) continue;
    // The ServiceAccount starts or stops holding a Delegation of the capability.
    const capability = objectKey(first.namespace, first.capability);
    const held = accounts.get(capability) ?? [
      ...(before.delegatedServiceAccounts.get(capability) ?? []),
    ];
    const names = wasHeld
      ? held.filter((name) => name !== first.serviceAccount)
      : [...held, first.serviceAccount].sort();
    accounts.set(capability, names);
  }
  for (const [capability, names] of accounts) {
    if (names.length === 0) {
      accounts.delete(capability);
      accountsGone.add(capability);
    }
  }
  return {
    delegations: withChanges(before.delegations, set, gone),
    delegatedServiceAccounts: withChanges(before.delegatedServiceAccounts, accounts, accountsGone),
  };
}
