import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/index.js';
import { capability, controller, cronJob, deployment, pod } from '../testing/fixtures.js';
import {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
  stopStep,
} from './plan.js';

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
      'restores when the capability is deleted',
      annotate(deployment({ replicas: 0 }), remembered('2')),
      undefined,
      { action: 'scale', replicas: 2 },
    ],
    [
      'never touches a workload it did not stop',
      deployment({ replicas: 0 }),
      running,
      { action: 'none' },
    ],
    ['does nothing under DenyNew', deployment({ replicas: 3 }), denyNew, { action: 'none' }],
    [
      'ignores an unreadable annotation',
      annotate(deployment({ replicas: 0 }), remembered('lots')),
      running,
      { action: 'none' },
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
    ['suspends CronJobs', cronJob(), stopped, { action: 'suspend' }],
    [
      'resumes the CronJobs it suspended',
      annotate(withSpec(cronJob(), { suspend: true }), { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' }),
      running,
      { action: 'resume' },
    ],
    [
      'never resumes a CronJob a person suspended',
      withSpec(cronJob(), { suspend: true }),
      running,
      { action: 'none' },
    ],
    ['suspends Jobs', controller('batch/v1', 'Job'), stopped, { action: 'suspend' }],
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
    expect(stopStep(job, stopped)).toEqual({ action: 'suspend' });
  });
});
