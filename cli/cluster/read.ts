import { KINDS } from '../../api/index.js';
import type { EngineConfig } from '../../engine/index.js';
import type { JsonRecord } from '../../engine/json.js';
import { DRA_API } from '../../operator/cache/device-claims.js';
import { apiVersionOfType } from '../../api/workload-types.js';
import {
  clusterPath,
  collectionPath,
  oosResource,
  type Resource,
} from '../../operator/controller/paths.js';
import { KubeApiError } from '../../operator/kube/rest.js';
import type { KubeRest } from '../../operator/kube/rest.js';
import { CliError } from '../errors.js';
import { connect, type ConnectOptions } from './connect.js';
import { tryList, type ListOutcome } from './list.js';
import { WORKLOAD_RESOURCES } from './workload-resources.js';
import { buildClusterView, type ClusterView, type RawCluster } from './view.js';

export type { ClusterView, Workload } from './view.js';

/** The namespace the operator runs in by default (the operator's and the chart's default). */
export const DEFAULT_OPERATOR_NAMESPACE = 'oos-system';

export interface ReadOptions extends ConnectOptions {
  /**
   * When a kind cannot be listed across all namespaces (RBAC), list it in this namespace instead:
   * a user with rights in one namespace still sees that namespace whole.
   */
  readonly namespace?: string;
  /** The namespace oos runs in, always exempt (default: oos-system). */
  readonly operatorNamespace?: string;
  /** The time of the view (default: now). */
  readonly now?: Date;
  /** A client to read with instead of one built from the kubeconfig (tests, other commands). */
  readonly rest?: KubeRest;
}

/** The DRA collections the engine reads, by the field of `DeviceObjects` they fill. */
const DEVICE_PLURALS = {
  claims: 'resourceclaims',
  claimTemplates: 'resourceclaimtemplates',
  deviceClasses: 'deviceclasses',
} as const;

/** Plural of a resource for messages: `capabilities.oos.dev`, `deployments.apps`, `pods`. */
function resourceName(resource: Resource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

/**
 * Lists a resource in all namespaces, falling back to `namespace` on a 403; a refusal or an
 * absent API becomes a warning and no items.
 */
async function readResource(
  rest: KubeRest,
  resource: Resource & { readonly optional?: boolean },
  namespace: string | undefined,
  warnings: string[],
): Promise<JsonRecord[] | undefined> {
  let outcome: ListOutcome = await tryList(rest, clusterPath(resource));
  let scope = resource.namespaced ? 'in all namespaces' : 'in the cluster';
  if (!outcome.ok && outcome.status === 403 && resource.namespaced && namespace !== undefined) {
    outcome = await tryList(rest, collectionPath(resource, namespace));
    scope = `in namespace ${namespace}`;
  }
  if (outcome.ok) return outcome.items;
  // An AI custom kind the cluster does not serve: nothing of that kind runs there.
  if (outcome.status === 404 && resource.optional === true) return [];
  warnings.push(
    outcome.status === 403
      ? `partial read: you may not list ${resourceName(resource)} ${scope} (RBAC), so the view lacks them: ${outcome.message}`
      : `partial read: the cluster does not serve ${resourceName(resource)} (is oos installed?): ${outcome.message}`,
  );
  return undefined;
}

/** Items with their apiVersion and kind: lists of built-in kinds leave them out, the engine reads them. */
function typed(resource: Resource, items: readonly JsonRecord[]): JsonRecord[] {
  return items.map((item) => ({
    ...item,
    apiVersion: apiVersionOfType(resource),
    kind: resource.kind,
  }));
}

async function readDevices(rest: KubeRest): Promise<RawCluster['devices']> {
  const entries = await Promise.all(
    Object.entries(DEVICE_PLURALS).map(async ([field, plural]) => {
      // Like the operator: a cluster without DRA (404) or a user who may not read it (403) has
      // no device index, and a pod naming a claim then counts as asking for accelerators.
      const outcome = await tryList(rest, `${DRA_API}/${plural}`);
      return [field, outcome.ok ? outcome.items : []] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function readNamespaces(
  rest: KubeRest,
  warnings: string[],
): Promise<RawCluster['namespaces']> {
  const resource: Resource = {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  };
  const items = await readResource(rest, resource, undefined, warnings);
  if (items === undefined) return undefined;
  const labels = new Map<string, Readonly<Record<string, string>>>();
  for (const item of items) {
    const metadata = item.metadata as { name?: string; labels?: Record<string, string> };
    if (metadata.name !== undefined) labels.set(metadata.name, metadata.labels ?? {});
  }
  return labels;
}

/** Reads everything the view needs, in parallel; only an unreachable or refusing server throws. */
export async function readRaw(rest: KubeRest, namespace: string | undefined): Promise<RawCluster> {
  const warnings: string[] = [];
  const [governance, workloads, namespaces, devices] = await Promise.all([
    Promise.all(
      KINDS.map(async (definition) => {
        const resource = oosResource(definition);
        const items = await readResource(rest, resource, namespace, warnings);
        return [definition.kind, items && typed(resource, items)] as const;
      }),
    ),
    Promise.all(
      WORKLOAD_RESOURCES.map(async (resource) =>
        typed(resource, (await readResource(rest, resource, namespace, warnings)) ?? []),
      ),
    ),
    readNamespaces(rest, warnings),
    readDevices(rest),
  ]);
  if (namespaces === undefined) {
    warnings.push(
      'the enforcement mode of each namespace is taken as if it had no labels (Namespaces could not be listed)',
    );
  }
  return {
    governance: Object.fromEntries(governance.filter(([, items]) => items !== undefined)) as Record<
      string,
      JsonRecord[]
    >,
    workloads: workloads.flat(),
    namespaces,
    devices,
    warnings: warnings.sort(),
  };
}

/**
 * Reads every oos object, every workload and the namespace labels with the user's kubeconfig (so
 * RBAC applies: what the user may not list becomes a warning of the view) and judges the cluster
 * with the engine as the operator does. Throws {@link CliError} `OOS_ERR_CLUSTER_READ` when the
 * cluster cannot be reached or refuses the user altogether.
 */
export async function readCluster(options: ReadOptions = {}): Promise<ClusterView> {
  const rest = options.rest ?? connect(options);
  const config: EngineConfig = {
    operatorNamespace: options.operatorNamespace ?? DEFAULT_OPERATOR_NAMESPACE,
  };
  let raw: RawCluster;
  try {
    raw = await readRaw(rest, options.namespace);
  } catch (error) {
    const why =
      error instanceof KubeApiError || error instanceof Error ? error.message : String(error);
    throw new CliError('OOS_ERR_CLUSTER_READ', `cannot read the cluster at ${rest.server}: ${why}`);
  }
  return buildClusterView(raw, config, options.now ?? new Date());
}
