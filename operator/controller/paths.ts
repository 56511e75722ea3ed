import type { WorkloadType } from '../../api/index.js';

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

/** A workload type as a REST resource (every workload kind is namespaced). */
export function workloadResource(type: WorkloadType): Resource {
  return {
    group: type.group,
    version: type.version,
    kind: type.kind,
    plural: type.plural,
    namespaced: true,
  };
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
