import { describe, expect, it } from 'vitest';
import { GlobList } from '../glob.js';
import { readPodSpec } from '../workload/pod.js';
import { claimedAccelerators } from './claims.js';
import { celLiterals, indexDevices, NO_DEVICES, readDeviceRequests } from './index.js';

const classes = new GlobList(['*gpu*', '*.nvidia.com', '*tpu*']);

function claim(name: string, requests: unknown[], namespace = 'ml') {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaim',
    metadata: { name, namespace },
    spec: { devices: { requests } },
  };
}

function template(name: string, requests: unknown[], namespace = 'ml') {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name, namespace },
    spec: { spec: { devices: { requests } } },
  };
}

function deviceClass(name: string, expressions: string[]) {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'DeviceClass',
    metadata: { name },
    spec: { selectors: expressions.map((expression) => ({ cel: { expression } })) },
  };
}

const devices = indexDevices({
  claims: [
    claim('one-gpu', [{ name: 'g', exactly: { deviceClassName: 'gpu.nvidia.com' } }]),
    claim('nic', [{ name: 'n', exactly: { deviceClassName: 'sriov-nic' } }]),
    claim('every-gpu', [
      { name: 'g', exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'All' } },
    ]),
    claim('disguised', [{ name: 'g', exactly: { deviceClassName: 'plain', count: 2 } }]),
    claim('fallback', [
      {
        name: 'g',
        firstAvailable: [
          { name: 'cpu', deviceClassName: 'sriov-nic' },
          { name: 'tpu', deviceClassName: 'tpu.google.com', count: 4 },
        ],
      },
    ]),
    claim('ghost-class', [{ name: 'g', exactly: { deviceClassName: 'nowhere' } }]),
    claim('open-class', [{ name: 'g', exactly: { deviceClassName: 'anything' } }]),
  ],
  claimTemplates: [
    template('mig', [{ name: 'm', exactly: { deviceClassName: 'mig.nvidia.com', count: 3 } }]),
  ],
  deviceClasses: [
    deviceClass('sriov-nic', ["device.driver == 'sriovnetwork.k8snetworkplumbingwg.io'"]),
    deviceClass('plain', ['device.driver == "gpu.nvidia.com"']),
    { metadata: { name: 'anything' }, spec: {} },
  ],
});

const podWith = (...claims: unknown[]) =>
  readPodSpec({ containers: [], resourceClaims: claims }, 'spec');

describe('DRA objects', () => {
  it('read the string literals of CEL selectors', () => {
    expect(
      celLiterals([
        { cel: { expression: `device.driver == "gpu.nvidia.com" && device.attributes['x.io'].a` } },
        { notCel: true },
      ]),
    ).toEqual(['gpu.nvidia.com', 'x.io']);
  });

  it('read v1 requests (exactly, firstAvailable) and the older shape', () => {
    expect(
      readDeviceRequests({
        devices: {
          requests: [
            { name: 'a', exactly: { deviceClassName: 'c', count: 2 } },
            { name: 'b', firstAvailable: [{ deviceClassName: 'd', allocationMode: 'All' }] },
            { deviceClassName: 'e' },
          ],
        },
      }),
    ).toEqual([
      { name: 'a', alternatives: [{ deviceClass: 'c', literals: [], count: 2 }] },
      { name: 'b', alternatives: [{ deviceClass: 'd', literals: [], count: Infinity }] },
      { name: 'requests[2]', alternatives: [{ deviceClass: 'e', literals: [], count: 1 }] },
    ]);
  });
});

describe('the accelerators a pod claims', () => {
  const judge = (...claims: unknown[]) =>
    claimedAccelerators(podWith(...claims), 'ml', classes, devices);

  it('finds a GPU class by name, through a claim or a template', () => {
    expect(judge({ name: 'gpu', resourceClaimName: 'one-gpu' })).toEqual({
      count: 1,
      reasons: [
        'pod claim gpu (ResourceClaim ml/one-gpu) requests DeviceClass gpu.nvidia.com (matches *gpu*)',
      ],
    });
    expect(judge({ name: 'm', resourceClaimTemplateName: 'mig' }).count).toBe(3);
  });

  it('finds a class whose name hides it, by the driver its selectors name', () => {
    expect(judge({ name: 'x', resourceClaimName: 'disguised' })).toEqual({
      count: 2,
      reasons: [
        'pod claim x (ResourceClaim ml/disguised) requests DeviceClass plain (selects gpu.nvidia.com)',
      ],
    });
  });

  it('counts the most any firstAvailable alternative allocates, and All as unbounded', () => {
    expect(judge({ name: 'f', resourceClaimName: 'fallback' }).count).toBe(4);
    expect(judge({ name: 'a', resourceClaimName: 'every-gpu' }).count).toBe(Infinity);
  });

  it('ignores devices that are not accelerators', () => {
    expect(judge({ name: 'n', resourceClaimName: 'nic' })).toEqual({ count: 0, reasons: [] });
  });

  it('fails closed on claims, templates and classes it does not know', () => {
    for (const entry of [
      { name: 'c', resourceClaimName: 'missing' },
      { name: 't', resourceClaimTemplateName: 'missing' },
      { name: 'neither' },
    ]) {
      const judged = judge(entry);
      expect(judged.count).toBe(Infinity);
      expect(judged.reasons[0]).toMatch(/not found: oos cannot tell which devices it requests/);
    }
    expect(judge({ name: 'c', resourceClaimName: 'ghost-class' }).reasons[0]).toMatch(
      /DeviceClass nowhere, which is not found: oos cannot tell which devices it selects/,
    );
    expect(judge({ name: 'c', resourceClaimName: 'open-class' }).reasons[0]).toMatch(
      /has no selectors and selects every device/,
    );
  });

  it('looks claims up in the pod namespace only', () => {
    expect(
      claimedAccelerators(
        podWith({ name: 'g', resourceClaimName: 'nic' }),
        'other',
        classes,
        devices,
      ).reasons[0],
    ).toMatch(/ResourceClaim other\/nic, which is not found/);
  });

  it('knows nothing without the DRA objects (every claim counts)', () => {
    expect(
      claimedAccelerators(
        podWith({ name: 'g', resourceClaimName: 'nic' }),
        'ml',
        classes,
        NO_DEVICES,
      ).count,
    ).toBe(Infinity);
  });
});
