import { LABEL_CAPABILITY } from '../../api/index.js';
import { arrayAt, at, field, isRecord, numberAt, stringAt, type JsonRecord } from '../json.js';

/** The workload kinds the controller audits and the stop button acts on, by `group/Kind`. */
export const SCALABLE_KINDS: ReadonlySet<string> = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/ReplicaSet',
  '/ReplicationController',
]);
export const SUSPENDABLE_KINDS: ReadonlySet<string> = new Set(['batch/Job', 'batch/CronJob']);

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

/** `spec.replicas`, defaulting to 1 as the apiserver does. */
export function specReplicas(object: unknown): number {
  return numberAt(object, 'spec', 'replicas') ?? 1;
}

function finished(job: unknown): boolean {
  return arrayAt(job, 'status', 'conditions').some(
    (condition) =>
      (field(condition, 'type') === 'Complete' || field(condition, 'type') === 'Failed') &&
      field(condition, 'status') === 'True',
  );
}

/**
 * Whether a workload runs (or is about to): scaled above zero or still holding replicas, a Job
 * neither finished nor suspended, a CronJob not suspended, a DaemonSet, a Pod not yet ended.
 */
export function isRunning(object: JsonRecord): boolean {
  switch (groupKind(object)) {
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/ReplicaSet':
    case '/ReplicationController':
      return specReplicas(object) > 0 || (numberAt(object, 'status', 'replicas') ?? 0) > 0;
    case 'batch/Job':
      return at(object, 'spec', 'suspend') !== true && !finished(object);
    case 'batch/CronJob':
      return at(object, 'spec', 'suspend') !== true;
    case '/Pod': {
      const phase = stringAt(object, 'status', 'phase');
      return phase !== 'Succeeded' && phase !== 'Failed';
    }
    default:
      return isRecord(object);
  }
}

/**
 * Whether the stop button follows the owner of this object instead of the object itself: a
 * scalable workload controlled by another (a ReplicaSet of a Deployment). Its `oos.dev/` state is
 * a copy its owner's controller writes (the deployment controller copies the Deployment's
 * annotations to its ReplicaSets), never read by the stop button.
 */
export function followsOwner(object: unknown): boolean {
  return SCALABLE_KINDS.has(groupKind(object)) && controllerOf(object) !== undefined;
}

/** Whether the stop button can stop a workload: scale it to zero or suspend it. */
export function isStoppable(object: unknown): boolean {
  const kind = groupKind(object);
  return SCALABLE_KINDS.has(kind) || SUSPENDABLE_KINDS.has(kind);
}
