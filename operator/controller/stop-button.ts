import type { Logger } from 'pino';
import type { Capability } from '../../api/index.js';
import { stopId } from '../../engine/plan/index.js';
import { objectKey } from '../../engine/snapshot.js';
import {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  capabilityLabel,
  stepPatch,
  stopStep,
  type StopStep,
} from '../../engine/stop/index.js';
import { stringAt } from '../../engine/json.js';
import type { KubeRest } from '../kube/rest.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanContext } from './context.js';
import type { EventRecorder } from './events/recorder.js';
import { MERGE_PATCH, objectPath } from './paths.js';
import type { Workload, WorkloadInformers } from './workloads.js';

/** The most steps applied to one workload in one reconcile (remember then scale, at most). */
const MAX_STEPS = 3;

/** `stop/<group/Kind>/<namespace>/<name>`: the queue key of one workload. */
export function stopKey(workload: Workload): string {
  return `stop/${stopId(workload)}`;
}

/** The capability a workload is labelled with, as the snapshot holds it. */
export function capabilityOf(workload: Workload, context: PlanContext): Capability | undefined {
  const label = capabilityLabel(workload);
  const namespace = stringAt(workload, 'metadata', 'namespace') ?? '';
  return label === undefined
    ? undefined
    : context.snapshot.capabilities.get(objectKey(namespace, label))?.capability;
}

/** The workload as it is after a step (the scale subresource does not return the workload). */
function applied(workload: Workload, step: StopStep, written: unknown): Workload {
  if (step.action !== 'scale') return written as Workload;
  const spec = (workload.spec ?? {}) as Record<string, unknown>;
  return { ...workload, spec: { ...spec, replicas: step.replicas } };
}

/**
 * The stop button: while a capability is suspended with `stopAction: ScaleToZero`, its
 * Deployments, StatefulSets, ReplicaSets and ReplicationControllers are scaled to zero
 * (remembering their replicas in an annotation) and its Jobs and CronJobs suspended; when it
 * resumes, each gets back what it had, never more than the capability's `maxReplicas`. When the
 * capability is deleted, its workloads stay as they are (stopped ones stay stopped). The
 * controller manager then deletes or recreates the Pods.
 */
export class StopButton {
  constructor(
    private readonly options: {
      readonly rest: KubeRest;
      readonly logger: Logger;
      readonly events: EventRecorder;
      readonly workloads: WorkloadInformers;
      readonly metrics: ControllerMetrics;
    },
  ) {}

  async reconcile(
    groupKindName: string,
    namespace: string,
    name: string,
    context: PlanContext,
  ): Promise<void> {
    const resource = this.options.workloads.resource(groupKindName);
    let workload = this.options.workloads.get(groupKindName, namespace, name);
    if (resource === undefined || workload === undefined) return;
    const capability = capabilityOf(workload, context);
    for (let i = 0; i < MAX_STEPS; i++) {
      const step = stopStep(workload, capability, this.options.workloads.stopMethods());
      const patch = stepPatch(step);
      if (patch === undefined) return;
      const written = await this.options.rest.request<unknown>(
        'PATCH',
        objectPath(resource, namespace, name, patch.subresource),
        { body: patch.body, contentType: MERGE_PATCH },
      );
      this.options.metrics.stopActions.inc({ action: step.action });
      this.announce(workload, step, capability);
      workload = {
        ...applied(workload, step, written),
        apiVersion: workload.apiVersion,
        kind: workload.kind,
      };
    }
  }

  private announce(workload: Workload, step: StopStep, capability: Capability | undefined): void {
    const label = capabilityLabel(workload) ?? '';
    const by =
      capability?.spec.suspend === true ? capability.spec.suspendedBy : capability?.spec.resumedBy;
    const who = by === undefined ? '' : ` by ${by}`;
    const notes: Partial<Record<StopStep['action'], [string, string]>> = {
      scale:
        step.action === 'scale' && step.replicas === 0
          ? [
              'ScaledToZero',
              `Capability ${label} was suspended${who}: scaled to 0 replicas (the previous count is kept in ${ANNOTATION_REPLICAS_BEFORE_SUSPEND}).`,
            ]
          : [
              'ReplicasRestored',
              `Capability ${label} was resumed${who}: scaled back to ${step.action === 'scale' ? step.replicas : 0} replicas.`,
            ],
      suspend: ['Suspended', `Capability ${label} was suspended${who}: spec.suspend set to true.`],
      resume: ['Resumed', `Capability ${label} was resumed${who}: spec.suspend set back to false.`],
    };
    const found = notes[step.action];
    if (found === undefined) return;
    const metadata = (workload.metadata ?? {}) as Record<string, unknown>;
    this.options.events.emit({
      regarding: {
        apiVersion: String(workload.apiVersion),
        kind: String(workload.kind),
        namespace: stringAt(metadata, 'namespace'),
        name: stringAt(metadata, 'name') ?? '',
        uid: stringAt(metadata, 'uid'),
      },
      type:
        (step.action === 'scale' && step.replicas === 0) || step.action === 'suspend'
          ? 'Warning'
          : 'Normal',
      reason: found[0],
      action: 'StopButton',
      note: found[1],
    });
  }
}
