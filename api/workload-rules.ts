import type { WorkloadType } from './workload-types.js';

/** Resources of one API group, as webhook rules, admission policies and RBAC rules list them. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
}

/**
 * One rule per API group (in the order the groups first appear), holding `resourcesOf` of each
 * type of that group: how every list of workload resources is derived from the workload-type table.
 */
export function rulesByGroup(
  types: readonly Pick<WorkloadType, 'group' | 'plural' | 'subresources'>[],
  resourcesOf: (type: Pick<WorkloadType, 'plural' | 'subresources'>) => readonly string[],
): ResourceRule[] {
  const byGroup = new Map<string, string[]>();
  for (const type of types) {
    const resources = resourcesOf(type);
    if (resources.length === 0) continue;
    const list = byGroup.get(type.group) ?? [];
    for (const resource of resources) if (!list.includes(resource)) list.push(resource);
    byGroup.set(type.group, list);
  }
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources }));
}

/** The resource and the subresources admission judges (`pods`, `pods/ephemeralcontainers`). */
export const judgedResources = (type: Pick<WorkloadType, 'plural' | 'subresources'>): string[] => [
  type.plural,
  ...type.subresources.map((sub) => `${type.plural}/${sub}`),
];
