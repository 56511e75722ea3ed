import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCELERATOR_RESOURCES } from '../../api/index.js';
import { compileGlob } from '../glob.js';
import { deployment, detectionConfig, pod, viewOf } from '../testing/fixtures.js';
import { detectAccelerators } from './accelerators.js';

const RESOURCES = [
  'nvidia.com/gpu',
  'nvidia.com/gpu.shared',
  'nvidia.com/mig-1g.10gb',
  'nvidia.com/GA102GL_A10',
  'amd.com/gpu',
  'amd.com/cpx_nps4',
  'gpu.intel.com/i915',
  'gpu.intel.com/xe',
  'npu.intel.com/accel',
  'habana.ai/gaudi',
  'habana.ai/gaudi2',
  'google.com/tpu',
  'aws.amazon.com/neuron',
  'aws.amazon.com/neuroncore',
  'huawei.com/Ascend910',
  'qualcomm.com/qaic',
  'cambricon.com/mlu370',
  'aliyun.com/gpu-count',
  'volcano.sh/vgpu-number',
];

describe('accelerator signal', () => {
  const builtIn = detectionConfig();

  it.each(RESOURCES)('fires on a limit of %s', (resource) => {
    const signals = detectAccelerators(
      viewOf(pod({ resources: { limits: { [resource]: 1 } } })),
      builtIn,
    );
    expect(signals).toEqual([
      { type: 'Accelerator', reason: `accelerator ${resource} in container main` },
    ]);
  });

  it('fires on requests too', () => {
    expect(
      detectAccelerators(
        viewOf(deployment({ resources: { requests: { 'nvidia.com/gpu': '2' } } })),
        builtIn,
      ),
    ).toHaveLength(1);
  });

  it('is exercised above for every built-in resource glob', () => {
    const untested = DEFAULT_ACCELERATOR_RESOURCES.filter(
      (glob) => !RESOURCES.some((resource) => compileGlob(glob).regex.test(resource)),
    );
    expect(untested).toEqual([]);
  });

  it("matches accelerator families, not other vendors' resources", () => {
    const view = viewOf(
      pod({
        resources: {
          limits: { 'example.com/foo': 1, 'hugepages-2Mi': '1Gi', 'rdma/hca_shared_devices_a': 1 },
        },
      }),
    );
    expect(detectAccelerators(view, builtIn)).toEqual([]);
  });

  it('ignores zero quantities and ordinary resources', () => {
    const view = viewOf(
      pod({ resources: { limits: { 'nvidia.com/gpu': 0, cpu: '8', memory: '64Gi' } } }),
    );
    expect(detectAccelerators(view, builtIn)).toEqual([]);
  });

  it('uses the policy list', () => {
    const config = detectionConfig({
      includeBuiltIns: false,
      acceleratorResources: ['example.com/npu'],
    });
    expect(
      detectAccelerators(viewOf(pod({ resources: { limits: { 'example.com/npu': 1 } } })), config),
    ).toHaveLength(1);
    expect(
      detectAccelerators(viewOf(pod({ resources: { limits: { 'nvidia.com/gpu': 1 } } })), config),
    ).toEqual([]);
  });
});
