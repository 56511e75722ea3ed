import { ReplacedMap } from '../replaced-map.js';
import { objectKey, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';
import { compareText } from '../text.js';

type Capabilities = ReadonlyMap<string, IndexedCapability>;
type ByRole = ReadonlyMap<string, readonly IndexedCapability[]>;

/**
 * The index of each capability map, kept while the map lives: a snapshot rebuilt for anything
 * but its capabilities keeps their map, and so its index.
 */
const indexes = new WeakMap<Capabilities, ByRole>();
/** Each list's names, joined: a list shared by two indexes is joined once. */
const joined = new WeakMap<readonly IndexedCapability[], string>();

const NONE: readonly IndexedCapability[] = [];

const roleOf = (capability: IndexedCapability): string =>
  capability.capability.spec.accountableRole;

function byNamespaceAndName(a: IndexedCapability, b: IndexedCapability): number {
  return compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`);
}

function indexAll(capabilities: Iterable<IndexedCapability>): ByRole {
  const built = new Map<string, IndexedCapability[]>();
  for (const capability of capabilities) {
    const list = built.get(roleOf(capability));
    if (list === undefined) built.set(roleOf(capability), [capability]);
    else list.push(capability);
  }
  for (const list of built.values()) list.sort(byNamespaceAndName);
  return built;
}

/**
 * The index of `map` from its base's: only the lists of the roles a replaced capability left or
 * joined are built again, every other list is the base's very array. A change of one Capability
 * sorts one or two lists, not the 5,000 capabilities.
 */
function indexReplaced(map: ReplacedMap<string, IndexedCapability>): ByRole {
  const base = indexOf(map.base);
  const roles = new Set<string>();
  for (const [key, now] of map.replaced) {
    const was = map.base.get(key);
    if (was !== undefined) roles.add(roleOf(was));
    roles.add(roleOf(now));
  }
  const index = new Map(base);
  for (const role of roles) {
    const list: IndexedCapability[] = [];
    for (const capability of base.get(role) ?? []) {
      if (!map.replaced.has(objectKey(capability.namespace, capability.name)))
        list.push(capability);
    }
    for (const capability of map.replaced.values()) {
      if (roleOf(capability) === role) list.push(capability);
    }
    list.sort(byNamespaceAndName);
    if (list.length === 0) index.delete(role);
    else index.set(role, list);
  }
  return index;
}

function indexOf(capabilities: Capabilities): ByRole {
  let index = indexes.get(capabilities);
  if (index === undefined) {
    index =
      capabilities instanceof ReplacedMap
        ? indexReplaced(capabilities as ReplacedMap<string, IndexedCapability>)
        : indexAll(capabilities.values());
    indexes.set(capabilities, index);
  }
  return index;
}

/** The capabilities anchored to each role, by role name, sorted by namespace and name. */
export function capabilitiesByRole(snapshot: GovernanceSnapshot): ByRole {
  return indexOf(snapshot.capabilities);
}

/** The capabilities anchored to `role`. */
export function dependentsOf(
  snapshot: GovernanceSnapshot,
  role: string,
): readonly IndexedCapability[] {
  return capabilitiesByRole(snapshot).get(role) ?? NONE;
}

/** `ml/chat and risk/fraud`: how messages name capabilities. */
export function capabilityNames(capabilities: readonly IndexedCapability[]): string[] {
  return capabilities.map((capability) => `${capability.namespace}/${capability.name}`);
}

/**
 * The names of the capabilities anchored to `role`, joined by commas: all a role's status reads
 * of them, so a role whose list did not change is planned from the very same text.
 */
export function dependentNames(snapshot: GovernanceSnapshot, role: string): string {
  const list = dependentsOf(snapshot, role);
  let text = joined.get(list);
  if (text === undefined) {
    text = capabilityNames(list).join(',');
    joined.set(list, text);
  }
  return text;
}
