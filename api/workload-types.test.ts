import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_KINDS } from './detection.js';
import {
  kindsBeyondTable,
  kindsOf,
  policyWorkloadType,
  servedWorkloadType,
  WORKLOAD_TYPES,
  workloadType,
  workloadTypeKey,
} from './workload-types.js';

describe('the workload-type table', () => {
  it('holds each kind once, and each resource once', () => {
    const keys = WORKLOAD_TYPES.map(workloadTypeKey);
    expect(new Set(keys).size).toBe(keys.length);
    const resources = WORKLOAD_TYPES.map((t) => `${t.group}/${t.plural}`);
    expect(new Set(resources).size).toBe(resources.length);
  });

  it('reads every built-in through its pod template, and leaves custom kinds to the spec walker', () => {
    for (const type of WORKLOAD_TYPES) {
      expect(type.podTemplate === undefined, type.kind).toBe(type.origin !== 'BuiltIn');
    }
    expect(workloadType({ group: 'batch', kind: 'CronJob' })?.podTemplate).toEqual([
      'spec',
      'jobTemplate',
      'spec',
      'template',
    ]);
  });

  it('scales through scale only kinds that judge scale, and names each suspend field', () => {
    for (const type of WORKLOAD_TYPES.filter((t) => t.origin === 'BuiltIn')) {
      expect(type.stop.by === 'scale', type.kind).toBe(type.subresources.includes('scale'));
    }
    expect(workloadType({ group: 'kubeflow.org', kind: 'PyTorchJob' })?.stop).toEqual({
      by: 'suspend',
      field: ['spec', 'runPolicy', 'suspend'],
    });
    expect(workloadType({ group: 'ray.io', kind: 'RayJob' })?.stop).toEqual({
      by: 'suspend',
      field: ['spec', 'suspend'],
    });
    expect(workloadType({ group: 'apps', kind: 'DaemonSet' })?.stop).toEqual({ by: 'none' });
  });

  it('is where the AI kinds of detection come from', () => {
    expect(DEFAULT_AI_KINDS).toEqual(kindsOf('AICustomKind'));
    expect(DEFAULT_AI_KINDS.map(workloadTypeKey)).toEqual(
      expect.arrayContaining([
        'serving.kserve.io/InferenceService',
        'ray.io/RayJob',
        'kubeflow.org/PyTorchJob',
      ]),
    );
    expect(kindsOf('BuiltIn').map((k) => k.kind)).toEqual(
      expect.arrayContaining(['Pod', 'Deployment', 'CronJob', 'ReplicationController']),
    );
  });

  it('scales a custom kind whose CRD serves scale, at its specReplicasPath', () => {
    const isvc = workloadType({ group: 'serving.kserve.io', kind: 'InferenceService' });
    if (isvc === undefined) throw new Error('no InferenceService row');
    expect(isvc.stop).toEqual({ by: 'none' });
    const path = ['spec', 'predictor', 'minReplicas'];
    expect(
      servedWorkloadType(isvc, { version: 'v1', plural: 'inferenceservices', scaleReplicas: path }),
    ).toMatchObject({ version: 'v1', stop: { by: 'scale', replicas: path } });
    const rayJob = workloadType({ group: 'ray.io', kind: 'RayJob' });
    if (rayJob === undefined) throw new Error('no RayJob row');
    expect(
      servedWorkloadType(rayJob, { version: 'v1', plural: 'rayjobs', scaleReplicas: undefined })
        .stop,
    ).toEqual(rayJob.stop);
  });

  it('resolves a kind a GovernancePolicy adds, and keeps only the kinds the table lacks', () => {
    const kind = { group: 'example.com', kind: 'LlmAgent' };
    expect(
      policyWorkloadType(kind, { version: 'v2', plural: 'llmagents', scaleReplicas: undefined }),
    ).toEqual({
      group: 'example.com',
      version: 'v2',
      kind: 'LlmAgent',
      plural: 'llmagents',
      subresources: [],
      stop: { by: 'none' },
      origin: 'PolicyKind',
    });
    expect(
      kindsBeyondTable([
        kind,
        { group: 'ray.io', kind: 'RayJob' },
        { group: 'apps', kind: 'Deployment' },
      ]),
    ).toEqual([kind]);
    expect(kindsBeyondTable(undefined)).toEqual([]);
  });
});
