import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  capability as capabilityFixture,
  chainState,
  deployment,
  policy,
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

describe('isolation of a Closed capability', () => {
  const onHostNetwork = (): Record<string, unknown> => {
    const object = deployment({ ...anchoredOptions });
    const spec = object.spec as { template: { spec: Record<string, unknown> } };
    spec.template.spec.hostNetwork = true;
    return object;
  };
  const runOn = (
    object: Record<string, unknown>,
    capabilities = [capabilityFixture()],
    coordination = {},
  ) =>
    runSteps(
      [capability, role, holders, boundaries],
      chainState(object, snapshot({ capabilities, policies: [policy({ coordination })] })),
    );

  it('refuses a pod on the node network, where no NetworkPolicy applies, when the policy is Closed', () => {
    const result = runOn(onHostNetwork(), undefined, { posture: 'Closed' });
    expect(result).toMatchObject({ verdict: { reason: 'BoundaryViolation' } });
    expect('verdict' in result ? result.verdict.message : '').toContain('hostNetwork');
  });

  it('refuses it when the capability alone is Closed', () => {
    const closed = capabilityFixture(undefined, { interactions: { posture: 'Closed' } });
    expect(runOn(onHostNetwork(), [closed])).toMatchObject({
      verdict: { reason: 'BoundaryViolation' },
    });
  });

  it('leaves it to the other rules when the posture is Open, and admits Closed pods off the host network', () => {
    expect(runOn(onHostNetwork())).toHaveProperty('next');
    expect(
      runOn(deployment({ ...anchoredOptions }), undefined, { posture: 'Closed' }),
    ).toHaveProperty('next');
  });
});
