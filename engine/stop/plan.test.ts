import { describe, expect, it } from 'vitest';
import { servedWorkloadType, workloadType, type Capability } from '../../api/index.js';
import { capability, controller, cronJob, deployment, pod } from '../testing/fixtures.js';
import {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
  stepPatch,
  stopStep,
} from './plan.js';
import { stopMethods, TABLE_STOP_METHODS } from './workload.js';

const running = capability();
const stopped = capability(undefined, { suspend: true });
const denyNew = capability(undefined, { suspend: true, stopAction: 'DenyNew' });

function annotate(object: Record<string, unknown>, annotations: Record<string, string>) {
  return { ...object, metadata: { ...(object.metadata as object), annotations } };
}

function withSpec(object: Record<string, unknown>, spec: Record<string, unknown>) {
  return { ...object, spec: { ...(object.spec as object), ...spec } };
}

const remembered = (n: string) => ({ [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: n });

describe('the stop button, one step at a time', () => {
  it.each<[string, Record<string, unknown>, Capability | undefined, unknown]>([
    [
      'remembers the replicas first',
      deployment({ replicas: 3 }),
      stopped,
      { action: 'remember', replicas: 3 },
    ],
    [
      'then scales to zero',
      annotate(deployment({ replicas: 3 }), remembered('3')),
      stopped,
      { action: 'scale', replicas: 0 },
    ],
    [
      'then is done',
      annotate(deployment({ replicas: 0 }), remembered('3')),
      stopped,
      { action: 'none' },
    ],
    [
      'restores the remembered replicas on resume',
      annotate(deployment({ replicas: 0 }), remembered('3')),
      running,
      { action: 'scale', replicas: 3 },
    ],
    [
      'then forgets them',
      annotate(deployment({ replicas: 3 }), remembered('3')),
      running,
      { action: 'forget' },
    ],
    [
      'keeps a workload stopped when its capability is deleted',
      annotate(deployment({ replicas: 0 }), remembered('2')),
      undefined,
      { action: 'none' },
    ],
    [
      'drops the memory of a workload a person scaled by hand after its capability went',
      annotate(deployment({ replicas: 2 }), remembered('2')),
      undefined,
      { action: 'forget' },
    ],
    [
      'keeps a Job suspended when its capability is deleted',
      annotate(withSpec(cronJob(), { suspend: true }), { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' }),
      undefined,
      { action: 'none' },
    ],
    [
      'drops the marker of a CronJob a person resumed by hand after its capability went',
      annotate(withSpec(cronJob(), { suspend: false }), { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' }),
      undefined,
      { action: 'resume', field: ['spec', 'suspend'] },
    ],
    [
      'never restores beyond maxReplicas (a forged memory of 40)',
      annotate(deployment({ replicas: 0 }), remembered('40')),
      capability(undefined, { boundaries: { maxReplicas: 4 } }),
      { action: 'scale', replicas: 4 },
    ],
    [
      'then forgets the memory once within the boundaries',
      annotate(deployment({ replicas: 4 }), remembered('40')),
      capability(undefined, { boundaries: { maxReplicas: 4 } }),
      { action: 'forget' },
    ],
    [
      'restores a memory within maxReplicas as it is',
      annotate(deployment({ replicas: 0 }), remembered('3')),
      capability(undefined, { boundaries: { maxReplicas: 4 } }),
      { action: 'scale', replicas: 3 },
    ],
    [
      'overwrites an unreadable memory when stopping',
      annotate(deployment({ replicas: 2 }), remembered('-1')),
      stopped,
      { action: 'remember', replicas: 2 },
    ],
    [
      'scales ReplicationControllers',
      controller('v1', 'ReplicationController', { replicas: 2 }),
      stopped,
      { action: 'remember', replicas: 2 },
    ],
    [
      'never touches a workload it did not stop',
      deployment({ replicas: 0 }),
      running,
      { action: 'none' },
    ],
    ['does nothing under DenyNew', deployment({ replicas: 3 }), denyNew, { action: 'none' }],
    [
      'drops an unreadable memory on resume, leaving the replicas as they are',
      annotate(deployment({ replicas: 0 }), remembered('lots')),
      running,
      { action: 'forget' },
    ],
    [
      '…an absurd one too',
      annotate(deployment({ replicas: 0 }), remembered('99999999999')),
      running,
      { action: 'forget' },
    ],
    [
      'scales StatefulSets',
      controller('apps/v1', 'StatefulSet', { replicas: 2 }),
      stopped,
      { action: 'remember', replicas: 2 },
    ],
    [
      'never scales DaemonSets or Pods',
      controller('apps/v1', 'DaemonSet'),
      stopped,
      { action: 'none' },
    ],
    ['…nor Pods', pod(), stopped, { action: 'none' }],
    ['suspends CronJobs', cronJob(), stopped, { action: 'suspend', field: ['spec', 'suspend'] }],
    [
      'resumes the CronJobs it suspended',
      annotate(withSpec(cronJob(), { suspend: true }), { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' }),
      running,
      { action: 'resume', field: ['spec', 'suspend'] },
    ],
    [
      'never resumes a CronJob a person suspended',
      withSpec(cronJob(), { suspend: true }),
      running,
      { action: 'none' },
    ],
    [
      'suspends Jobs',
      controller('batch/v1', 'Job'),
      stopped,
      { action: 'suspend', field: ['spec', 'suspend'] },
    ],
  ])('%s', (_, object, cap, step) => {
    expect(stopStep(object, cap)).toEqual(step);
  });

  it('leaves a ReplicaSet owned by a Deployment to its owner, but suspends a Job a CronJob owns', () => {
    const owner = [{ kind: 'Deployment', name: 'd', controller: true }];
    const rs = controller('apps/v1', 'ReplicaSet', { replicas: 2 });
    (rs.metadata as Record<string, unknown>).ownerReferences = owner;
    expect(stopStep(rs, stopped)).toEqual({ action: 'none' });
    const job = controller('batch/v1', 'Job');
    (job.metadata as Record<string, unknown>).ownerReferences = [
      { kind: 'CronJob', name: 'c', controller: true },
    ];
    expect(stopStep(job, stopped)).toEqual({ action: 'suspend', field: ['spec', 'suspend'] });
  });
});

describe('the stop button on the AI custom kinds', () => {
  const labelled = (apiVersion: string, kind: string, spec: Record<string, unknown> = {}) => ({
    apiVersion,
    kind,
    metadata: { name: 'w', namespace: 'ml', labels: { 'oos.dev/capability': 'c' } },
    spec,
  });

  it('suspends a PyTorchJob through spec.runPolicy.suspend and resumes only its own suspension', () => {
    const job = labelled('kubeflow.org/v1', 'PyTorchJob');
    const field = ['spec', 'runPolicy', 'suspend'];
    expect(stopStep(job, stopped)).toEqual({ action: 'suspend', field });
    const suspended = annotate(withSpec(job, { runPolicy: { suspend: true } }), {
      [ANNOTATION_SUSPENDED_BY_OOS]: 'true',
    });
    expect(stopStep(suspended, stopped)).toEqual({ action: 'none' });
    expect(stopStep(suspended, running)).toEqual({ action: 'resume', field });
    // Suspended by a person: resuming the capability leaves it suspended.
    expect(stopStep(withSpec(job, { runPolicy: { suspend: true } }), running)).toEqual({
      action: 'none',
    });
  });

  it('suspends RayJobs and RayClusters through spec.suspend', () => {
    for (const kind of ['RayJob', 'RayCluster']) {
      expect(stopStep(labelled('ray.io/v1', kind), stopped)).toEqual({
        action: 'suspend',
        field: ['spec', 'suspend'],
      });
    }
  });

  it('cannot stop an InferenceService by the table, but scales one whose CRD serves scale', () => {
    const isvc = labelled('serving.kserve.io/v1beta1', 'InferenceService', { replicas: 2 });
    expect(stopStep(isvc, stopped)).toEqual({ action: 'none' });
    const row = workloadType({ group: 'serving.kserve.io', kind: 'InferenceService' });
    if (row === undefined) throw new Error('InferenceService is not in the table');
    const served = servedWorkloadType(row, {
      version: 'v1beta1',
      plural: 'inferenceservices',
      scaleReplicas: ['spec', 'replicas'],
    });
    const methods = new Map([...TABLE_STOP_METHODS, ...stopMethods([served])]);
    expect(stopStep(isvc, stopped, methods)).toEqual({ action: 'remember', replicas: 2 });
    const remembered = annotate(isvc, { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '2' });
    expect(stopStep(remembered, stopped, methods)).toEqual({ action: 'scale', replicas: 0 });
  });
});

describe('stop steps as patches', () => {
  it('write each stop step as one merge patch, scaling through the scale subresource', () => {
    expect(stepPatch({ action: 'remember', replicas: 3 })).toEqual({
      body: { metadata: { annotations: { 'oos.dev/replicas-before-suspend': '3' } } },
    });
    expect(stepPatch({ action: 'scale', replicas: 0 })).toEqual({
      body: { spec: { replicas: 0 } },
      subresource: 'scale',
    });
    expect(stepPatch({ action: 'forget' })).toEqual({
      body: { metadata: { annotations: { 'oos.dev/replicas-before-suspend': null } } },
    });
    expect(stepPatch({ action: 'resume', field: ['spec', 'suspend'] })).toEqual({
      body: {
        metadata: { annotations: { 'oos.dev/suspended-by-oos': null } },
        spec: { suspend: false },
      },
    });
    expect(stepPatch({ action: 'suspend', field: ['spec', 'runPolicy', 'suspend'] })).toEqual({
      body: {
        metadata: { annotations: { 'oos.dev/suspended-by-oos': 'true' } },
        spec: { runPolicy: { suspend: true } },
      },
    });
    expect(stepPatch({ action: 'none' })).toBeUndefined();
  });
});
