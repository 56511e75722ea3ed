import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { indexDevices } from '../devices/index.js';
import { withDevices } from '../snapshot.js';
import {
  admission,
  anchoredOptions,
  capability,
  detectionConfig,
  NOW,
  pod,
  snapshot,
  viewOf,
} from '../testing/fixtures.js';
import { detectDeviceClaims } from './device-claims.js';

const devices = indexDevices({
  claims: [
    {
      metadata: { name: 'gpu', namespace: 'ml' },
      spec: {
        devices: {
          requests: [{ name: 'g', exactly: { deviceClassName: 'gpu.nvidia.com', count: 2 } }],
        },
      },
    },
    {
      metadata: { name: 'npu', namespace: 'ml' },
      spec: {
        devices: { requests: [{ name: 'n', exactly: { deviceClassName: 'npu.example.com' } }] },
      },
    },
  ],
  deviceClasses: [
    {
      metadata: { name: 'npu.example.com' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "npu.example.com"' } }] },
    },
  ],
});

/** A plain Pod (no other signal) that uses `claims`. */
function claiming(claims: unknown[], options = {}) {
  const object = pod({ image: 'busybox', ...options });
  return { ...object, spec: { ...(object.spec as object), resourceClaims: claims } };
}

describe('DRA claims as an accelerator signal', () => {
  it('fires on a claim of a GPU DeviceClass', () => {
    const view = viewOf(claiming([{ name: 'g', resourceClaimName: 'gpu' }], { namespace: 'ml' }));
    expect(detectDeviceClaims(view, detectionConfig(), devices)).toEqual([
      {
        type: 'Accelerator',
        reason:
          'accelerator through pod claim g (ResourceClaim ml/gpu) requests DeviceClass gpu.nvidia.com (matches *gpu*)',
      },
    ]);
  });

  it('uses the policy list (acceleratorDeviceClasses)', () => {
    const view = viewOf(claiming([{ name: 'n', resourceClaimName: 'npu' }], { namespace: 'ml' }));
    expect(detectDeviceClaims(view, detectionConfig(), devices)).toEqual([]);
    expect(
      detectDeviceClaims(view, detectionConfig({ acceleratorDeviceClasses: ['npu.*'] }), devices),
    ).toHaveLength(1);
  });

  it('makes an unlabelled Pod an AI workload, and an unknown claim too (fail closed)', () => {
    const snap = withDevices(snapshot(), devices);
    const known = decide(admission(claiming([{ name: 'g', resourceClaimName: 'gpu' }])), snap, NOW);
    expect(known.reason).toBe('AnchorMissing');
    expect(known.allowed).toBe(false);
    const unknown = decide(
      admission(claiming([{ name: 'g', resourceClaimTemplateName: 'ghost' }])),
      snap,
      NOW,
    );
    expect(unknown.reason).toBe('AnchorMissing');
    expect(unknown.message).toMatch(
      /ResourceClaimTemplate ml\/ghost, which is not found: oos cannot tell which devices it requests/,
    );
    const none = decide(admission(claiming([{ name: 'n', resourceClaimName: 'npu' }])), snap, NOW);
    expect(none.reason).toBe('NotAIWorkload');
  });

  it('counts claimed devices against maxAcceleratorsPerPod', () => {
    const snap = withDevices(
      snapshot({
        capabilities: [capability(undefined, { boundaries: { maxAcceleratorsPerPod: 1 } })],
      }),
      devices,
    );
    const decision = decide(
      admission(claiming([{ name: 'g', resourceClaimName: 'gpu' }], anchoredOptions)),
      snap,
      NOW,
    );
    expect(decision.reason).toBe('BoundaryViolation');
    expect(decision.message).toMatch(
      /spec requests 2 accelerators per pod, beyond maxAcceleratorsPerPod 1/,
    );
  });
});
