import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchoredLabels, controller, cronJob, deployment, pod } from '../testing/fixtures.js';
import {
  capabilityLabel,
  controllerOf,
  followsOwner,
  groupKind,
  isRunning,
  isStoppable,
  runningStatus,
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

describe('the status the caches keep (runningStatus)', () => {
  const kinds = [
    pod(),
    deployment({ replicas: 0 }),
    deployment({ replicas: 2 }),
    controller('batch/v1', 'Job'),
    controller('apps/v1', 'DaemonSet'),
    controller('v1', 'ReplicationController', { replicas: 0 }),
    cronJob(),
  ];
  const condition = fc.record({
    type: fc.constantFrom('Complete', 'Failed', 'Ready', 'Available', 'Progressing', 'Suspended'),
    status: fc.constantFrom('True', 'False', 'Unknown'),
    reason: fc.string(),
    lastTransitionTime: fc.string(),
  });
  const status = fc.record(
    {
      phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      replicas: fc.nat(5),
      readyReplicas: fc.nat(5),
      observedGeneration: fc.nat(),
      podIP: fc.ipV4(),
      conditions: fc.array(condition, { maxLength: 4 }),
      containerStatuses: fc.array(fc.record({ name: fc.string(), ready: fc.boolean() })),
    },
    { requiredKeys: [] },
  );

  it('decides isRunning exactly as the whole status does, for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), status, (workload, full) => {
        const whole = { ...workload, status: full };
        const kept = { ...workload, status: runningStatus(whole) };
        expect(isRunning(kept)).toBe(isRunning(whole));
      }),
    );
  });

  it('keeps nothing else: a Pod getting Ready or a rollout progressing leaves it the same', () => {
    const pending = { ...pod(), status: { phase: 'Pending', conditions: [] } };
    const ready = {
      ...pod(),
      status: {
        phase: 'Pending',
        podIP: '198.18.64.9',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'main', ready: true }],
      },
    };
    expect(runningStatus(ready)).toEqual(runningStatus(pending));
    expect(runningStatus(pending)).toEqual({ phase: 'Pending' });
    expect(runningStatus({ ...pod(), status: { phase: 'Failed' } })).toEqual({ phase: 'Failed' });
    expect(
      runningStatus({
        ...controller('batch/v1', 'Job'),
        status: {
          active: 1,
          conditions: [
            { type: 'Complete', status: 'True', reason: 'Done', lastProbeTime: 'x' },
            { type: 'SuccessCriteriaMet', status: 'True' },
          ],
        },
      }),
    ).toEqual({ conditions: [{ type: 'Complete', status: 'True' }] });
    expect(runningStatus(deployment())).toBeUndefined();
  });
});
