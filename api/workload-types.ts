import { deepFreeze } from './freeze.js';
import type { GroupKind } from './group-kind.js';

/**
 * The one table of workload types oos knows: every list of workload kinds (the webhook rules, the
 * controller's informers, the stop button, the audit, the fallback policy, the chart's RBAC and
 * webhook configuration) is derived from it. A GovernancePolicy's `aiWorkloadDetection.kinds`
 * adds kinds at run time; the operator resolves those through API discovery.
 */

/**
 * How the stop button stops a workload of this type:
 * - `scale`: its replicas (read at `replicas`, the scale subresource's `specReplicasPath`) go to
 *   zero through the `scale` subresource (remembered, restored on resume);
 * - `suspend`: the boolean field at `field` is set to true (and back to false on resume);
 * - `none`: oos cannot stop it; a suspended capability's running workloads of such a type are
 *   reported (the CapabilitySuspended escalation and an Event) for a person to stop.
 * A custom kind whose CRD turns out to serve a `scale` subresource is scaled whatever the table says.
 */
export type StopMethod =
  | { readonly by: 'scale'; readonly replicas: readonly string[] }
  | { readonly by: 'suspend'; readonly field: readonly string[] }
  | { readonly by: 'none' };

/**
 * Where a workload type comes from: a kind Kubernetes itself serves (`BuiltIn`), a well-known AI
 * custom kind whose CRD may or may not be installed (`AICustomKind`, AI by nature), or a kind a
 * GovernancePolicy names (`PolicyKind`, AI by nature, resolved at run time).
 */
export type WorkloadOrigin = 'BuiltIn' | 'AICustomKind' | 'PolicyKind';

export interface WorkloadType {
  readonly group: string;
  /** The version oos reads (built-ins); for custom kinds the version discovery prefers wins. */
  readonly version: string;
  readonly kind: string;
  /** The REST resource name, e.g. `deployments`. */
  readonly plural: string;
  /**
   * Path of the pod template (`metadata` + `spec`): `[]` for a Pod, whose spec is the pod spec;
   * undefined for a custom kind, whose spec oos walks for pod specs wherever they are.
   */
  readonly podTemplate?: readonly string[];
  /** Path of the replica count (default 1); undefined when the kind has none or oos cannot tell. */
  readonly replicas?: readonly string[];
  /** Subresources admission judges besides the object itself (`scale`, `ephemeralcontainers`). */
  readonly subresources: readonly string[];
  readonly stop: StopMethod;
  readonly origin: WorkloadOrigin;
}

const REPLICAS = ['spec', 'replicas'] as const;
const SCALE = { by: 'scale', replicas: REPLICAS } as const;
const SUSPEND = { by: 'suspend', field: ['spec', 'suspend'] } as const;
const NONE = { by: 'none' } as const;
const TEMPLATE = ['spec', 'template'] as const;

const builtIn = (
  group: string,
  kind: string,
  plural: string,
  rest: Pick<WorkloadType, 'podTemplate' | 'replicas' | 'subresources' | 'stop'>,
): WorkloadType => ({ group, version: 'v1', kind, plural, ...rest, origin: 'BuiltIn' });

const scaled = (group: string, kind: string, plural: string): WorkloadType =>
  builtIn(group, kind, plural, {
    podTemplate: TEMPLATE,
    replicas: REPLICAS,
    subresources: ['scale'],
    stop: SCALE,
  });

const aiKind = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  stop: StopMethod,
): WorkloadType => ({
  group,
  version,
  kind,
  plural,
  subresources: [],
  stop,
  origin: 'AICustomKind',
});

/**
 * Pod, the pod controllers and the AI custom kinds. How each AI kind is stopped
 * (docs/operations.md, "What the stop button does to each kind"): KubeRay's RayCluster and RayJob
 * and Kubeflow's training jobs have a documented suspend field; KServe's InferenceService,
 * RayService, Kubeflow's Notebook, kagent's Agent and agent-sandbox's Sandbox have none that a
 * webhook can hold (their stop switches are annotations, or absent), so they are stopped only
 * when their CRD serves `scale`, and reported otherwise.
 */
export const WORKLOAD_TYPES: readonly WorkloadType[] = deepFreeze([
  builtIn('', 'Pod', 'pods', {
    podTemplate: [],
    subresources: ['ephemeralcontainers'],
    stop: NONE,
  }),
  scaled('', 'ReplicationController', 'replicationcontrollers'),
  scaled('apps', 'Deployment', 'deployments'),
  scaled('apps', 'StatefulSet', 'statefulsets'),
  builtIn('apps', 'DaemonSet', 'daemonsets', {
    podTemplate: TEMPLATE,
    subresources: [],
    stop: NONE,
  }),
  scaled('apps', 'ReplicaSet', 'replicasets'),
  builtIn('batch', 'Job', 'jobs', {
    podTemplate: TEMPLATE,
    replicas: ['spec', 'parallelism'],
    subresources: [],
    stop: SUSPEND,
  }),
  builtIn('batch', 'CronJob', 'cronjobs', {
    podTemplate: ['spec', 'jobTemplate', 'spec', 'template'],
    replicas: ['spec', 'jobTemplate', 'spec', 'parallelism'],
    subresources: [],
    stop: SUSPEND,
  }),
  aiKind('serving.kserve.io', 'v1beta1', 'InferenceService', 'inferenceservices', NONE),
  aiKind('ray.io', 'v1', 'RayCluster', 'rayclusters', SUSPEND),
  aiKind('ray.io', 'v1', 'RayJob', 'rayjobs', SUSPEND),
  aiKind('ray.io', 'v1', 'RayService', 'rayservices', NONE),
  aiKind('kubeflow.org', 'v1', 'PyTorchJob', 'pytorchjobs', {
    by: 'suspend',
    field: ['spec', 'runPolicy', 'suspend'],
  }),
  aiKind('kubeflow.org', 'v1', 'TFJob', 'tfjobs', {
    by: 'suspend',
    field: ['spec', 'runPolicy', 'suspend'],
  }),
  aiKind('kubeflow.org', 'v1', 'Notebook', 'notebooks', NONE),
  aiKind('kagent.dev', 'v1alpha2', 'Agent', 'agents', NONE),
  aiKind('agents.x-k8s.io', 'v1alpha1', 'Sandbox', 'sandboxes', NONE),
]);

/** `apps/Deployment`, `/Pod`: the key of a kind in every index of workload types. */
export function workloadTypeKey(kind: GroupKind): string {
  return `${kind.group}/${kind.kind}`;
}

/** `apps/v1` for apps, `v1` for the core group. */
export function apiVersionOfType(type: Pick<WorkloadType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

const BY_KEY: ReadonlyMap<string, WorkloadType> = new Map(
  WORKLOAD_TYPES.map((type) => [workloadTypeKey(type), type]),
);

/** The table's row of a kind, or undefined. */
export function workloadType(kind: GroupKind): WorkloadType | undefined {
  return BY_KEY.get(workloadTypeKey(kind));
}

/**
 * A kind a GovernancePolicy names, as the operator resolved it through discovery: AI by nature,
 * read leniently like the AI custom kinds, scaled when its resource serves `scale`, else reported.
 */
export function policyWorkloadType(kind: GroupKind, resolved: ServedKind): WorkloadType {
  return {
    group: kind.group,
    version: resolved.version,
    kind: kind.kind,
    plural: resolved.plural,
    subresources: [],
    stop:
      resolved.scaleReplicas === undefined
        ? NONE
        : { by: 'scale', replicas: resolved.scaleReplicas },
    origin: 'PolicyKind',
  };
}

/** A custom kind as discovery found it. */
export interface ServedKind {
  readonly version: string;
  readonly plural: string;
  /** The `specReplicasPath` of its `scale` subresource; undefined without one (or unreadable). */
  readonly scaleReplicas: readonly string[] | undefined;
}

/** A table row of a custom kind with what discovery found: a kind that serves `scale` is scaled. */
export function servedWorkloadType(type: WorkloadType, served: ServedKind): WorkloadType {
  return {
    ...type,
    version: served.version,
    plural: served.plural,
    stop:
      served.scaleReplicas === undefined
        ? type.stop
        : { by: 'scale', replicas: served.scaleReplicas },
  };
}

/** The kinds a GovernancePolicy names that the table does not hold (the ones oos must resolve). */
export function kindsBeyondTable(kinds: readonly GroupKind[] | undefined): GroupKind[] {
  return (kinds ?? []).filter((kind) => workloadType(kind) === undefined);
}

/** Group and kind of every row whose origin is `origin`. */
export function kindsOf(origin: WorkloadOrigin): readonly GroupKind[] {
  return WORKLOAD_TYPES.filter((type) => type.origin === origin).map(({ group, kind }) => ({
    group,
    kind,
  }));
}
