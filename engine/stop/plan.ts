import type { Capability } from '../../api/index.js';
import { at, stringAt } from '../json.js';
import {
  controllerOf,
  groupKind,
  SCALABLE_KINDS,
  specReplicas,
  SUSPENDABLE_KINDS,
} from './workload.js';

/** The replicas a workload had when the stop button scaled it to zero. */
export const ANNOTATION_REPLICAS_BEFORE_SUSPEND = 'oos.dev/replicas-before-suspend';
/** Marks a Job or CronJob that the stop button suspended (so resuming never wakes one a person suspended). */
export const ANNOTATION_SUSPENDED_BY_OOS = 'oos.dev/suspended-by-oos';

/**
 * One step towards what the stop button wants of a workload. Steps are idempotent and applied one
 * at a time; the plan is recomputed after each, so a crash between two steps loses nothing:
 *  - `remember`: write the current replicas into the annotation (before scaling to zero);
 *  - `scale`: set replicas through the scale subresource;
 *  - `forget`: remove the annotation once the remembered replicas are back;
 *  - `suspend` / `resume`: set `spec.suspend` of a Job or CronJob together with the marker.
 */
export type StopStep =
  | { readonly action: 'none' }
  | { readonly action: 'remember'; readonly replicas: number }
  | { readonly action: 'scale'; readonly replicas: number }
  | { readonly action: 'forget' }
  | { readonly action: 'suspend' }
  | { readonly action: 'resume' };

const NONE: StopStep = { action: 'none' };

/** Whether the capability's stop button asks for its workloads to be stopped. */
export function stopping(capability: Capability | undefined): boolean {
  return capability?.spec.suspend === true && capability.spec.stopAction === 'ScaleToZero';
}

function remembered(object: unknown): number | undefined {
  const text = stringAt(object, 'metadata', 'annotations', ANNOTATION_REPLICAS_BEFORE_SUSPEND);
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}

/**
 * The next step for one workload of a capability (`capability` undefined when it no longer
 * exists: then everything the stop button did is undone). A ReplicaSet owned by a Deployment
 * follows its owner and is left alone; a Job is suspended even when a CronJob owns it, because
 * suspending a CronJob stops only its future runs.
 */
export function stopStep(object: unknown, capability: Capability | undefined): StopStep {
  const kind = groupKind(object);
  const stop = stopping(capability);
  if (SCALABLE_KINDS.has(kind)) {
    if (controllerOf(object) !== undefined) return NONE;
    const before = remembered(object);
    const replicas = specReplicas(object);
    if (stop) {
      if (before === undefined) return { action: 'remember', replicas };
      return replicas === 0 ? NONE : { action: 'scale', replicas: 0 };
    }
    if (before === undefined) return NONE;
    return replicas === before ? { action: 'forget' } : { action: 'scale', replicas: before };
  }
  if (SUSPENDABLE_KINDS.has(kind)) {
    const suspended = at(object, 'spec', 'suspend') === true;
    const ours =
      stringAt(object, 'metadata', 'annotations', ANNOTATION_SUSPENDED_BY_OOS) === 'true';
    if (stop) return suspended ? NONE : { action: 'suspend' };
    return ours ? { action: 'resume' } : NONE;
  }
  return NONE;
}
