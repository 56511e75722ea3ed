import { ReplacedMap } from '../replaced-map.js';
import type { GovernanceSnapshot, IndexedCapability } from '../snapshot.js';
import { compareText } from '../text.js';

type Capabilities = ReadonlyMap<string, IndexedCapability>;
type NamesByRole = ReadonlyMap<string, readonly string[]>;

/**
 * The names (`namespace/name`, sorted) of the capabilities anchored to each role: an index built
 * from every capability, and the lists that differ from it. A capability's name never changes,
 * so a snapshot whose capabilities were replaced in place differs from its base's only in the
 * roles a replaced capability left or joined; one whose anchors all stayed is the base's index
 * itself.
 */
export interface RoleIndex {
  /** Built from every capability of a plain map. */
  readonly base: NamesByRole;
  /** The lists that differ from `base`'s, by role (empty when nothing is anchored to it now). */
  readonly replaced: NamesByRole;
}

/**
 * The index of each capability map, kept while the map lives: a snapshot rebuilt for anything
 * but its capabilities keeps their map, and so its index.
 */
const indexes = new WeakMap<Capabilities, RoleIndex>();
/** Each list's names, joined: a list shared by two indexes is joined once. */
const joined = new WeakMap<readonly string[], string>();

const NONE: readonly string[] = [];
const NO_LISTS: NamesByRole = new Map();

const roleOf = (capability: IndexedCapability): string =>
  capability.capability.spec.accountableRole;

const nameOf = (capability: IndexedCapability): string =>
  `${capability.namespace}/${capability.name}`;

function indexAll(capabilities: Capabilities): RoleIndex {
  const built = new Map<string, string[]>();
  for (const capability of capabilities.values()) {
    const list = built.get(roleOf(capability));
    if (list === undefined) built.set(roleOf(capability), [nameOf(capability)]);
    else list.push(nameOf(capability));
  }
  for (const list of built.values()) list.sort(compareText);
  return { base: built, replaced: NO_LISTS };
}

/**
 * The index of `map` from its base's: only the lists of the roles a replaced capability left or
 * joined are built again. A change of one Capability's description builds nothing; one that
 * moves it to another role sorts two lists, not the 5,000 capabilities, and copies none of the
 * 1,000 others.
 */
function indexReplaced(map: ReplacedMap<string, IndexedCapability>): RoleIndex {
  const base = indexOf(map.base);
  const left = new Map<string, Set<string>>();
  const joining = new Map<string, string[]>();
  for (const [key, now] of map.replaced) {
    const was = map.base.get(key);
    if (was === undefined || roleOf(was) === roleOf(now)) continue;
    const gone = left.get(roleOf(was));
    if (gone === undefined) left.set(roleOf(was), new Set([nameOf(was)]));
    else gone.add(nameOf(was));
    const come = joining.get(roleOf(now));
    if (come === undefined) joining.set(roleOf(now), [nameOf(now)]);
    else come.push(nameOf(now));
  }
  if (left.size === 0) return base;
  const replaced = new Map<string, readonly string[]>();
  for (const role of new Set([...left.keys(), ...joining.keys()])) {
    const gone = left.get(role);
    const list = (base.base.get(role) ?? NONE).filter((name) => gone?.has(name) !== true);
    list.push(...(joining.get(role) ?? NONE));
    list.sort(compareText);
    replaced.set(role, list.length === 0 ? NONE : list);
  }
  return { base: base.base, replaced };
}

function indexOf(capabilities: Capabilities): RoleIndex {
  let index = indexes.get(capabilities);
  if (index === undefined) {
    index =
      capabilities instanceof ReplacedMap
        ? indexReplaced(capabilities as ReplacedMap<string, IndexedCapability>)
        : indexAll(capabilities);
    indexes.set(capabilities, index);
  }
  return index;
}

/** The index of the capabilities anchored to each role in `snapshot`. */
export function roleIndex(snapshot: GovernanceSnapshot): RoleIndex {
  return indexOf(snapshot.capabilities);
}

/**
 * The roles whose lists may differ between two indexes: none when they are the same index, the
 * roles either replaced when they share a base, `undefined` (any role) otherwise.
 */
export function changedRoles(before: RoleIndex, after: RoleIndex): ReadonlySet<string> | undefined {
  if (before === after) return new Set();
  if (before.base !== after.base) return undefined;
  return new Set([...before.replaced.keys(), ...after.replaced.keys()]);
}

/** The names (`ml/chat`) of the capabilities anchored to `role`, sorted. */
export function dependentsOf(snapshot: GovernanceSnapshot, role: string): readonly string[] {
  const index = roleIndex(snapshot);
  return index.replaced.get(role) ?? index.base.get(role) ?? NONE;
}

/**
 * The names of the capabilities anchored to `role`, joined by commas: all a role's status reads
 * of them, so a role whose list did not change is planned from the very same text.
 */
export function dependentNames(snapshot: GovernanceSnapshot, role: string): string {
  const list = dependentsOf(snapshot, role);
  let text = joined.get(list);
  if (text === undefined) {
    text = list.join(',');
    joined.set(list, text);
  }
  return text;
}
