import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  capability as capabilityFixture,
  chainState,
  deployment,
  snapshot,
  type WorkloadOptions,
} from '../testing/fixtures.js';
import { boundaries } from './boundaries.js';
import { capability } from './capability.js';
import { runSteps } from './step.js';
import { holders } from './holders.js';
import { role } from './role.js';

const bounded = capabilityFixture(undefined, {
  boundaries: { allowedImages: ['vllm/vllm-openai:*'], maxReplicas: 2, maxAcceleratorsPerPod: 1 },
});

function run(options: WorkloadOptions, capabilities = [bounded]) {
  return runSteps(
    [capability, role, holders, boundaries],
    chainState(deployment({ ...anchoredOptions, ...options }), snapshot({ capabilities })),
  );
}

function message(options: WorkloadOptions): string {
  const result = run(options);
  if (!('verdict' in result)) throw new Error('expected a verdict');
  expect(result.verdict.reason).toBe('BoundaryViolation');
  return result.verdict.message;
}

describe('boundaries', () => {
  it('admit a workload within every bound', () => {
    expect(run({ replicas: 2, resources: { limits: { 'nvidia.com/gpu': 1 } } })).toHaveProperty(
      'next',
    );
  });

  it('refuse an image outside allowedImages, naming it', () => {
    expect(message({ image: 'ollama/ollama:0.5' })).toContain(
      'image ollama/ollama:0.5 of container main is not in allowedImages (vllm/vllm-openai:*)',
    );
  });

  it('refuse more replicas than maxReplicas', () => {
    expect(message({ replicas: 3 })).toContain('3 replicas exceed maxReplicas 2');
  });

  it('refuse more accelerators per pod than maxAcceleratorsPerPod', () => {
    expect(message({ resources: { limits: { 'nvidia.com/gpu': 2 } } })).toContain(
      'spec.template.spec requests 2 accelerators per pod, beyond maxAcceleratorsPerPod 1',
    );
  });

  it('name every bound overstepped, and who may widen them', () => {
    const text = message({
      image: 'x:1',
      replicas: 9,
      resources: { limits: { 'nvidia.com/gpu': 4 } },
    });
    expect(text).toContain('not in allowedImages');
    expect(text).toContain('9 replicas');
    expect(text).toContain('4 accelerators');
    expect(text).toContain(
      'have a current holder of role model-risk-officer (alice) widen spec.boundaries',
    );
  });

  it('are unlimited when unset', () => {
    expect(run({ image: 'anything:1', replicas: 500 }, [capabilityFixture()])).toHaveProperty(
      'next',
    );
  });

  it('forbid accelerators with maxAcceleratorsPerPod 0', () => {
    const none = capabilityFixture(undefined, { boundaries: { maxAcceleratorsPerPod: 0 } });
    expect(run({ resources: { limits: { 'nvidia.com/gpu': 1 } } }, [none])).toMatchObject({
      verdict: { reason: 'BoundaryViolation' },
    });
  });
});
