import { describe, expect, it } from 'vitest';
import { GlobList } from '../glob.js';
import { podAccelerators, readPodSpec, serviceAccountOf } from './pod.js';

const gpus = new GlobList(['nvidia.com/gpu', 'amd.com/gpu']);

describe('pods', () => {
  it('run as spec.serviceAccountName, its deprecated alias, or default', () => {
    expect(serviceAccountOf({ serviceAccountName: 'a', serviceAccount: 'b' }, 'default')).toBe('a');
    expect(serviceAccountOf({ serviceAccount: 'b' }, 'default')).toBe('b');
    expect(serviceAccountOf({ serviceAccountName: '' }, 'default')).toBe('default');
    expect(serviceAccountOf({}, 'inherited')).toBe('inherited');
  });

  it('read containers and init containers, naming unnamed ones', () => {
    const pod = readPodSpec(
      { initContainers: [{ image: 'busybox' }], containers: [{ name: 'app', image: 'x' }, 'junk'] },
      'spec',
    );
    expect(pod.containers.map((c) => [c.name, c.init, c.image])).toEqual([
      ['init-0', true, 'busybox'],
      ['app', false, 'x'],
      ['container-1', false, undefined],
    ]);
    expect(pod.serviceAccount).toBe('default');
  });

  it('read ephemeral (debug) containers like containers, and the DRA claims', () => {
    const pod = readPodSpec(
      {
        containers: [{ name: 'app', image: 'nginx' }],
        ephemeralContainers: [
          { name: 'debugger', image: 'ollama/ollama', envFrom: [{ secretRef: { name: 's' } }] },
        ],
        resourceClaims: [
          { name: 'gpu', resourceClaimTemplateName: 'gpu-template' },
          { name: 'shared', resourceClaimName: 'shared-gpu' },
          {},
        ],
      },
      'spec',
    );
    expect(pod.containers.map((c) => [c.name, c.init, c.image])).toEqual([
      ['app', false, 'nginx'],
      ['debugger', false, 'ollama/ollama'],
    ]);
    expect(pod.containers[1]?.envSources).toEqual([{ kind: 'Secret', name: 's' }]);
    expect(pod.claims).toEqual([
      { name: 'gpu', claim: undefined, template: 'gpu-template' },
      { name: 'shared', claim: 'shared-gpu', template: undefined },
      { name: 'resourceClaims[2]', claim: undefined, template: undefined },
    ]);
  });

  it('count accelerators as the scheduler does: sum of containers, or the largest init container', () => {
    const pod = readPodSpec(
      {
        initContainers: [{ resources: { limits: { 'nvidia.com/gpu': 3 } } }],
        containers: [
          { resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } } },
          { resources: { limits: { 'amd.com/gpu': 1, cpu: '4' } } },
        ],
      },
      'spec',
    );
    expect(podAccelerators(pod, gpus)).toBe(3);
    const small = readPodSpec(
      {
        initContainers: [{ resources: { limits: { 'nvidia.com/gpu': 1 } } }],
        containers: [{ resources: { limits: { 'nvidia.com/gpu': 2 } } }],
      },
      'spec',
    );
    expect(podAccelerators(small, gpus)).toBe(2);
  });

  it('read env names and the Secret or ConfigMap keys they come from', () => {
    const pod = readPodSpec(
      {
        containers: [
          {
            env: [
              { name: 'A', value: 'x' },
              { name: 'KEY', valueFrom: { secretKeyRef: { name: 's', key: 'OPENAI_API_KEY' } } },
              { name: 'C', valueFrom: { configMapKeyRef: { name: 'c', key: 'C' } } },
              { value: 'nameless' },
            ],
          },
        ],
      },
      'spec',
    );
    expect(pod.containers[0]?.envNames).toEqual(['A', 'KEY', 'OPENAI_API_KEY', 'C']);
  });
});
