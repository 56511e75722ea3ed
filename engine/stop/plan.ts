import type { Capability } from '../../api/index.js';
import { at, stringAt } from '../json.js';
import {
  followsOwner,
  specReplicas,
  stopMethodOf,
  TABLE_STOP_METHODS,
  type StopMethods,
} from './workload.js';

/** The replicas a workload had when the stop button scaled it to zero. */
export const ANNOTATION_REPLICAS_BEFORE_SUSPEND = 'oos.dev/replicas-before-suspend';
/** Marks a Job or CronJob that the stop button suspended (so resuming never wakes one a person suspended). */
export const ANNOTATION_SUSPENDED_BY_OOS = 'oos.dev/suspended-by-oos';
/** The state the stop button keeps on workloads: written and removed by the operator only. */
export const STATE_ANNOTATIONS: readonly string[] = [
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
];

/**
 * One step towards what the stop button wants of a workload. Steps are idempotent and applied one
 * at a time; the plan is recomputed after each, so a crash between two steps loses nothing:
 *  - `remember`: write the current replicas into the annotation (before scaling to zero);
 *  - `scale`: set replicas through the scale subresource;
 *  - `forget`: remove the annotation once the remembered replicas are back;
 *  - `suspend` / `resume`: set the kind's suspend field (`spec.suspend` of a Job or CronJob,
 *    `spec.runPolicy.suspend` of a PyTorchJob, ...) together with the marker.
 */
export type StopStep =
  | { readonly action: 'none' }
  | { readonly action: 'remember'; readonly replicas: number }
  | { readonly action: 'scale'; readonly replicas: number }
  | { readonly action: 'forget' }
  | { readonly action: 'suspend'; readonly field: readonly string[] }
  | { readonly action: 'resume'; readonly field: readonly string[] };

const NONE: StopStep = { action: 'none' };
const FORGET: StopStep = { action: 'forget' };

/** Whether the capability's stop button asks for its workloads to be stopped. */
export function stopping(capability: Capability | undefined): boolean {
  return capability?.spec.suspend === true && capability.spec.stopAction === 'ScaleToZero';
}

/** The remembered replicas: a count, `'unreadable'` for anything else, undefined when none. */
function remembered(object: unknown): number | 'unreadable' | undefined {
  const text = stringAt(object, 'metadata', 'annotations', ANNOTATION_REPLICAS_BEFORE_SUSPEND);
  if (text === undefined) {
    return at(object, 'metadata', 'annotations', ANNOTATION_REPLICAS_BEFORE_SUSPEND) === undefined
      ? undefined
      : 'unreadable';
  }
  return /^\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : 'unreadable';
}

/**
 * The replicas to restore: the remembered count, never above the capability's `maxReplicas`
 * (only the operator writes the annotation, but a restore must not leave the boundaries even if
 * someone did).
 */
function restored(before: number, capability: Capability): number {
  const max = capability.spec.boundaries?.maxReplicas;
  return max === undefined ? before : Math.min(before, max);
}

/**
 * The next step for one workload of a capability (`capability` undefined when it no longer
 * exists, or the workload no longer names one). A workload whose capability is gone stays as it
 * is: a stopped one stays stopped (deleting a suspended capability never releases its workloads;
 * a person restores it by recreating the capability and resuming it, or by removing the label and
 * scaling it by hand, which admission judges), and only the memory of one a person has scaled
 * back up by hand is dropped. On resume the remembered replicas are restored within the
 * capability's `maxReplicas`; an unreadable memory is dropped, leaving the replicas as they are.
 * A ReplicaSet owned by a Deployment follows its owner and is left alone; a Job is suspended even
 * when a CronJob owns it, because suspending a CronJob stops only its future runs.
 */
export function stopStep(
  object: unknown,
  capability: Capability | undefined,
  methods: StopMethods = TABLE_STOP_METHODS,
): StopStep {
  const method = stopMethodOf(object, methods);
  const stop = stopping(capability);
  if (method.by === 'scale') {
    if (followsOwner(object, methods)) return NONE;
    const before = remembered(object);
    const replicas = specReplicas(object, method.replicas);
    if (stop) {
      if (typeof before !== 'number') return { action: 'remember', replicas };
      return replicas === 0 ? NONE : { action: 'scale', replicas: 0 };
    }
    if (before === undefined) return NONE;
    if (capability === undefined) return replicas > 0 ? FORGET : NONE;
    if (before === 'unreadable') return FORGET;
    const target = restored(before, capability);
    return replicas === target ? FORGET : { action: 'scale', replicas: target };
  }
  if (method.by === 'suspend') {
    const { field } = method;
    const suspended = at(object, ...field) === true;
    const ours =
      stringAt(object, 'metadata', 'annotations', ANNOTATION_SUSPENDED_BY_OOS) === 'true';
    if (stop) return suspended ? NONE : { action: 'suspend', field };
    if (capability === undefined) return ours && !suspended ? { action: 'resume', field } : NONE;
    return ours ? { action: 'resume', field } : NONE;
  }
  return NONE;
}

/** `{a: {b: value}}` for the path `['a', 'b']`. */
function nested(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** What one step writes (a merge patch): the body and, for scaling, the subresource. */
export function stepPatch(step: StopStep): { body: unknown; subresource?: 'scale' } | undefined {
  switch (step.action) {
    case 'remember':
      return {
        body: {
          metadata: {
            annotations: { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: String(step.replicas) },
          },
        },
      };
    case 'scale':
      return { body: { spec: { replicas: step.replicas } }, subresource: 'scale' };
    case 'forget':
      return {
        body: { metadata: { annotations: { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: null } } },
      };
    case 'suspend':
    case 'resume': {
      const suspend = step.action === 'suspend';
      // The field's path starts at the object: `spec.suspend`, `spec.runPolicy.suspend`.
      const body = nested(step.field, suspend) as Record<string, unknown>;
      return {
        body: {
          ...body,
          metadata: { annotations: { [ANNOTATION_SUSPENDED_BY_OOS]: suspend ? 'true' : null } },
        },
      };
    }
    case 'none':
      return undefined;
  }
}
