import { describe, expect, it } from 'vitest';
import { findResource, replicasPath } from './discovery.js';

describe('API discovery of a workload kind', () => {
  it('finds the resource of a kind, whether it is namespaced, and whether it serves scale', () => {
    const list = {
      resources: [
        { name: 'inferenceservices', kind: 'InferenceService', namespaced: true },
        { name: 'inferenceservices/status', kind: 'InferenceService', namespaced: true },
        { name: 'inferenceservices/scale', kind: 'Scale', namespaced: true },
        { name: 'clusterservingruntimes', kind: 'ClusterServingRuntime', namespaced: false },
      ],
    };
    expect(findResource(list, 'InferenceService')).toEqual({
      plural: 'inferenceservices',
      namespaced: true,
      scale: true,
    });
    expect(findResource(list, 'ClusterServingRuntime')).toEqual({
      plural: 'clusterservingruntimes',
      namespaced: false,
      scale: false,
    });
    expect(findResource(list, 'Scale')).toBeUndefined();
    expect(findResource({}, 'InferenceService')).toBeUndefined();
  });

  it('reads a plain specReplicasPath and refuses anything it would have to guess', () => {
    expect(replicasPath('.spec.replicas')).toEqual(['spec', 'replicas']);
    expect(replicasPath('.spec.predictor.minReplicas')).toEqual([
      'spec',
      'predictor',
      'minReplicas',
    ]);
    expect(replicasPath('.spec.workers[0].replicas')).toBeUndefined();
    expect(replicasPath('spec.replicas')).toBeUndefined();
    expect(replicasPath(undefined)).toBeUndefined();
  });
});
