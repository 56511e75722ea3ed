import {
  LABEL_CAPABILITY,
  WORKLOAD_TYPES,
  workloadTypeKey,
  type StopMethod,
  type WorkloadType,
} from '../../api/index.js';
import { arrayAt, at, field, isRecord, numberAt, stringAt, type JsonRecord } from '../json.js';

/**
 * How the stop button stops each kind, by `group/Kind`: the workload-type table's methods, or
 * the operator's view of them at run time (a custom kind whose CRD serves `scale` is scaled; a
 * kind a GovernancePolicy adds joins), see {@link stopMethods}.
 */
export type StopMethods = ReadonlyMap<string, StopMethod>;

/** The stop methods of the workload-type table. */
export const TABLE_STOP_METHODS: StopMethods = stopMethods(WORKLOAD_TYPES);

/** The stop methods of `types` (later rows win). */
export function stopMethods(types: readonly WorkloadType[]): StopMethods {
  return new Map(types.map((type) => [workloadTypeKey(type), type.stop]));
}

const CANNOT: StopMethod = { by: 'none' };

/** How the stop button stops `object` (`none` for a kind it does not know). */
export function stopMethodOf(
  object: unknown,
  methods: StopMethods = TABLE_STOP_METHODS,
): StopMethod {
  return methods.get(groupKind(object)) ?? CANNOT;
}

/** The owner that controls an object (`ownerReferences[].controller: true`), if any. */
export function controllerOf(object: unknown): { kind: string; name: string } | undefined {
  for (const owner of arrayAt(object, 'metadata', 'ownerReferences')) {
    if (field(owner, 'controller') === true) {
      const kind = stringAt(owner, 'kind');
      const name = stringAt(owner, 'name');
      if (kind !== undefined && name !== undefined) return { kind, name };
    }
  }
  return undefined;
}

/** `apps/Deployment`, `/Pod`: the group and kind of an object, from its apiVersion and kind. */
export function groupKind(object: unknown): string {
  const apiVersion = stringAt(object, 'apiVersion') ?? '';
  const slash = apiVersion.lastIndexOf('/');
  return `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${stringAt(object, 'kind') ?? ''}`;
}

/** The capability a workload names with its label (on the object, else its pod template). */
export function capabilityLabel(object: unknown): string | undefined {
  return (
    stringAt(object, 'metadata', 'labels', LABEL_CAPABILITY) ??
    stringAt(object, 'spec', 'template', 'metadata', 'labels', LABEL_CAPABILITY) ??
    stringAt(
      object,
      'spec',
      'jobTemplate',
      'spec',
      'template',
      'metadata',
      'labels',
      LABEL_CAPABILITY,
    )
  );
}

/** The replicas at `path` (`spec.replicas` by default), defaulting to 1 as the apiserver does. */
export function specReplicas(
  object: unknown,
  path: readonly string[] = ['spec', 'replicas'],
): number {
  return numberAt(object, ...path) ?? 1;
}

/** The condition types that end a Job (or another suspendable kind). */
const FINISHED: ReadonlySet<unknown> = new Set(['Complete', 'Failed']);

function finished(job: unknown): boolean {
  return arrayAt(job, 'status', 'conditions').some(
    (condition) => FINISHED.has(field(condition, 'type')) && field(condition, 'status') === 'True',
  );
}

/**
 * The part of a workload's status that {@link isRunning} reads (a Pod's phase, `replicas`, the
 * conditions that end a Job), or undefined when there is none: what the operator's caches keep,
 * so a status write that changes nothing of it (a Pod getting Ready, a Deployment's rollout
 * progress) costs neither memory nor a round. Keep in step with {@link isRunning}.
 */
export function runningStatus(object: unknown): JsonRecord | undefined {
  const phase = stringAt(object, 'status', 'phase');
  const replicas = numberAt(object, 'status', 'replicas');
  const conditions = arrayAt(object, 'status', 'conditions')
    .filter((condition) => FINISHED.has(field(condition, 'type')))
    .map((condition) => ({ type: field(condition, 'type'), status: field(condition, 'status') }));
  if (phase === undefined && replicas === undefined && conditions.length === 0) return undefined;
  return {
    ...(phase === undefined ? {} : { phase }),
    ...(replicas === undefined ? {} : { replicas }),
    ...(conditions.length === 0 ? {} : { conditions }),
  };
}

/**
 * Whether a workload runs (or is about to): scaled above zero or still holding replicas, a Job
 * (or another suspendable kind) neither finished nor suspended, a CronJob not suspended, a
 * DaemonSet, a Pod not yet ended, and any other kind while it exists.
 */
export function isRunning(object: JsonRecord, methods: StopMethods = TABLE_STOP_METHODS): boolean {
  if (groupKind(object) === '/Pod') {
    const phase = stringAt(object, 'status', 'phase');
    return phase !== 'Succeeded' && phase !== 'Failed';
  }
  const method = stopMethodOf(object, methods);
  switch (method.by) {
    case 'scale':
      return (
        specReplicas(object, method.replicas) > 0 ||
        (numberAt(object, 'status', 'replicas') ?? 0) > 0
      );
    case 'suspend':
      return at(object, ...method.field) !== true && !finished(object);
    case 'none':
      return isRecord(object);
  }
}

/**
 * Whether the stop button follows the owner of this object instead of the object itself: a
 * scalable workload controlled by another (a ReplicaSet of a Deployment). Its `oos.dev/` state is
 * a copy its owner's controller writes (the deployment controller copies the Deployment's
 * annotations to its ReplicaSets), never read by the stop button.
 */
export function followsOwner(object: unknown, methods: StopMethods = TABLE_STOP_METHODS): boolean {
  return stopMethodOf(object, methods).by === 'scale' && controllerOf(object) !== undefined;
}

/** Whether the stop button can stop a workload: scale it to zero or suspend it. */
export function isStoppable(object: unknown, methods: StopMethods = TABLE_STOP_METHODS): boolean {
  return stopMethodOf(object, methods).by !== 'none';
}
