import type { GovernanceSnapshot, IndexedCapability } from '../snapshot.js';

const memo = new WeakMap<GovernanceSnapshot, ReadonlyMap<string, readonly IndexedCapability[]>>();

/** The capabilities anchored to each role, by role name, sorted by namespace and name. */
export function capabilitiesByRole(
  snapshot: GovernanceSnapshot,
): ReadonlyMap<string, readonly IndexedCapability[]> {
  let index = memo.get(snapshot);
  if (index === undefined) {
    const built = new Map<string, IndexedCapability[]>();
    for (const capability of snapshot.capabilities.values()) {
      const role = capability.capability.spec.accountableRole;
      const list = built.get(role) ?? [];
      list.push(capability);
      built.set(role, list);
    }
    for (const list of built.values()) {
      list.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    }
    index = built;
    memo.set(snapshot, index);
  }
  return index;
}

/** The capabilities anchored to `role`. */
export function dependentsOf(
  snapshot: GovernanceSnapshot,
  role: string,
): readonly IndexedCapability[] {
  return capabilitiesByRole(snapshot).get(role) ?? [];
}

/** `ml/chat and risk/fraud`: how messages name capabilities. */
export function capabilityNames(capabilities: readonly IndexedCapability[]): string[] {
  return capabilities.map((capability) => `${capability.namespace}/${capability.name}`);
}
