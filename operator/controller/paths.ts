/** REST paths of the resources the controller reads and writes. */

export interface Resource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

function base(resource: Resource): string {
  return resource.group === ''
    ? `/api/${resource.version}`
    : `/apis/${resource.group}/${resource.version}`;
}

/** The collection across all namespaces (what informers list and watch). */
export function clusterPath(resource: Resource): string {
  return `${base(resource)}/${resource.plural}`;
}

/** The collection in one namespace (or the cluster-scoped collection). */
export function collectionPath(resource: Resource, namespace: string | undefined): string {
  return resource.namespaced && namespace !== undefined
    ? `${base(resource)}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : clusterPath(resource);
}

/** One object, optionally a subresource of it (`status`, `scale`). */
export function objectPath(
  resource: Resource,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): string {
  const path = `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
  return subresource === undefined ? path : `${path}/${subresource}`;
}

/** `apps/v1` for apps, `v1` for the core group. */
export function apiVersionOf(resource: Resource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The workload kinds the background audit lists and the stop button acts on. */
export const WORKLOAD_RESOURCES: readonly Resource[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    namespaced: true,
  },
];

/** The workload resource of a `group/Kind`, e.g. `apps/Deployment`. */
export function workloadResource(groupKind: string): Resource | undefined {
  return WORKLOAD_RESOURCES.find((r) => `${r.group}/${r.kind}` === groupKind);
}

/** The oos kinds, as REST resources. */
export function oosResource(kind: {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
}): Resource {
  return {
    group: kind.group,
    version: kind.version,
    kind: kind.kind,
    plural: kind.plural,
    namespaced: kind.scope === 'Namespaced',
  };
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
