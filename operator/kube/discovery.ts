import type { GroupKind } from '../../api/index.js';
import { KubeApiError, type KubeRest } from './rest.js';

/**
 * What API discovery says about a kind:
 * - `served`: the version and REST resource that serve it, and where its `scale` subresource
 *   keeps the replicas (read from the CustomResourceDefinition; none when it cannot be read);
 * - `absent`: the apiserver does not serve it (no CRD installed): 404 or not in the group's lists;
 * - `forbidden`: discovery was refused (403), which only a cluster that restricts
 *   `system:discovery` does;
 * - `error`: anything else (the apiserver away); asked again later.
 */
export type KindResolution =
  | {
      readonly state: 'served';
      readonly version: string;
      readonly plural: string;
      readonly namespaced: boolean;
      /** The `scale` subresource's `specReplicasPath` (from the CRD); undefined without one. */
      readonly scaleReplicas: readonly string[] | undefined;
    }
  | { readonly state: 'absent' }
  | { readonly state: 'forbidden' | 'error'; readonly message: string };

interface ApiGroup {
  readonly preferredVersion?: { readonly version?: string };
  readonly versions?: readonly { readonly version?: string }[];
}

interface ApiResourceList {
  readonly resources?: readonly {
    readonly name?: string;
    readonly kind?: string;
    readonly namespaced?: boolean;
  }[];
}

/** The versions of a group, the preferred one first (`v1` for the core group). */
function versionsOf(group: ApiGroup): string[] {
  const preferred = group.preferredVersion?.version;
  const all = (group.versions ?? []).flatMap((v) => (v.version === undefined ? [] : [v.version]));
  return preferred === undefined ? all : [preferred, ...all.filter((v) => v !== preferred)];
}

interface Found {
  readonly plural: string;
  readonly namespaced: boolean;
  readonly scale: boolean;
}

/** What the resource list of one group version says about `kind`, or undefined when absent. */
export function findResource(list: ApiResourceList, kind: string): Found | undefined {
  const resources = list.resources ?? [];
  const main = resources.find(
    (r) => r.kind === kind && r.name !== undefined && !r.name.includes('/'),
  );
  if (main?.name === undefined) return undefined;
  const plural = main.name;
  return {
    plural,
    namespaced: main.namespaced === true,
    scale: resources.some((r) => r.name === `${plural}/scale`),
  };
}

interface Crd {
  readonly spec?: {
    readonly versions?: readonly {
      readonly name?: string;
      readonly subresources?: { readonly scale?: { readonly specReplicasPath?: string } };
    }[];
  };
}

/**
 * `.spec.replicas` -> `['spec', 'replicas']`; undefined for anything but a plain dotted path (the
 * apiserver allows only those for `specReplicasPath`, but oos does not guess).
 */
export function replicasPath(jsonPath: string | undefined): string[] | undefined {
  if (jsonPath === undefined || !/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(jsonPath)) return undefined;
  return jsonPath.slice(1).split('.');
}

/** The `specReplicasPath` of a served custom kind's `scale`, from its CRD; undefined if unreadable. */
async function scaleReplicas(
  rest: KubeRest,
  group: string,
  version: string,
  plural: string,
): Promise<string[] | undefined> {
  try {
    const crd = await rest.request<Crd>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.${group}`,
    );
    const served = crd.spec?.versions?.find((v) => v.name === version);
    return replicasPath(served?.subresources?.scale?.specReplicasPath);
  } catch {
    return undefined;
  }
}

function failure(error: unknown): KindResolution {
  if (error instanceof KubeApiError && error.status === 404) return { state: 'absent' };
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof KubeApiError && error.status === 403
    ? { state: 'forbidden', message }
    : { state: 'error', message };
}

/**
 * Resolves a kind through API discovery (the group's preferred version first): two GETs, never on
 * the admission path. Discovery is readable by every authenticated identity by default.
 */
export async function resolveKind(rest: KubeRest, kind: GroupKind): Promise<KindResolution> {
  try {
    const versions =
      kind.group === ''
        ? ['v1']
        : versionsOf(await rest.request<ApiGroup>('GET', `/apis/${kind.group}`));
    for (const version of versions) {
      const path = kind.group === '' ? `/api/${version}` : `/apis/${kind.group}/${version}`;
      const found = findResource(await rest.request<ApiResourceList>('GET', path), kind.kind);
      if (found === undefined) continue;
      return {
        state: 'served',
        version,
        plural: found.plural,
        namespaced: found.namespaced,
        scaleReplicas:
          found.scale && kind.group !== ''
            ? await scaleReplicas(rest, kind.group, version, found.plural)
            : undefined,
      };
    }
    return { state: 'absent' };
  } catch (error) {
    return failure(error);
  }
}
