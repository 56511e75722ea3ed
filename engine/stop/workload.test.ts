import { describe, expect, it } from 'vitest';
import { anchoredLabels, controller, cronJob, deployment, pod } from '../testing/fixtures.js';
import {
  capabilityLabel,
  controllerOf,
  followsOwner,
  groupKind,
  isRunning,
  isStoppable,
} from './workload.js';

describe('workloads as the controller reads them', () => {
  it('know their group and kind, owner and capability label', () => {
    expect(groupKind(deployment())).toBe('apps/Deployment');
    expect(groupKind(pod())).toBe('/Pod');
    expect(
      controllerOf({
        metadata: { ownerReferences: [{ kind: 'Job', name: 'j', controller: true }] },
      }),
    ).toEqual({
      kind: 'Job',
      name: 'j',
    });
    expect(
      controllerOf({ metadata: { ownerReferences: [{ kind: 'Job', name: 'j' }] } }),
    ).toBeUndefined();
    expect(capabilityLabel(deployment({ labels: anchoredLabels }))).toBe('chat-assistant');
    expect(capabilityLabel(deployment({ templateLabels: anchoredLabels }))).toBe('chat-assistant');
    expect(capabilityLabel(cronJob({ templateLabels: anchoredLabels }))).toBe('chat-assistant');
    expect(capabilityLabel(deployment())).toBeUndefined();
  });

  it('run while scaled up, unfinished, unsuspended or not ended', () => {
    expect(isRunning(deployment({ replicas: 1 }))).toBe(true);
    expect(isRunning(deployment({ replicas: 0 }))).toBe(false);
    expect(isRunning({ ...deployment({ replicas: 0 }), status: { replicas: 1 } })).toBe(true);
    const job = controller('batch/v1', 'Job');
    expect(isRunning(job)).toBe(true);
    expect(
      isRunning({ ...job, status: { conditions: [{ type: 'Complete', status: 'True' }] } }),
    ).toBe(false);
    expect(isRunning({ ...cronJob(), spec: { suspend: true } })).toBe(false);
    expect(isRunning({ ...pod(), status: { phase: 'Pending' } })).toBe(true);
    expect(isRunning({ ...pod(), status: { phase: 'Failed' } })).toBe(false);
    expect(isRunning(controller('apps/v1', 'DaemonSet'))).toBe(true);
    const rc = controller('v1', 'ReplicationController', { replicas: 2 });
    expect(isRunning(rc)).toBe(true);
    expect(isRunning({ ...rc, spec: { replicas: 0 } })).toBe(false);
    expect(isStoppable(rc)).toBe(true);
  });

  it('follow their owner when a controller owns a scalable workload (a ReplicaSet of a Deployment)', () => {
    const owned = (object: Record<string, unknown>) => ({
      ...object,
      metadata: { ownerReferences: [{ kind: 'Deployment', name: 'd', controller: true }] },
    });
    expect(followsOwner(owned(controller('apps/v1', 'ReplicaSet')))).toBe(true);
    expect(followsOwner(controller('apps/v1', 'ReplicaSet'))).toBe(false);
    expect(followsOwner(owned(controller('batch/v1', 'Job')))).toBe(false);
  });

  it('are stoppable when they can be scaled to zero or suspended', () => {
    expect(isStoppable(deployment())).toBe(true);
    expect(isStoppable(cronJob())).toBe(true);
    expect(isStoppable(controller('apps/v1', 'DaemonSet'))).toBe(false);
    expect(isStoppable(pod())).toBe(false);
  });
});
