import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { AdmissionInput } from '../input.js';
import {
  admission,
  anchoredOptions,
  capability,
  controller,
  deployment,
  NOW,
  pod,
  policy,
  snapshot,
} from '../testing/fixtures.js';

const bounded = snapshot({
  capabilities: [capability(undefined, { boundaries: { maxReplicas: 4 } })],
});

function stored(object: Record<string, unknown>, resourceVersion = '41') {
  return { ...object, metadata: { ...(object.metadata as object), resourceVersion } };
}

function scale(name: string, from: number, to: number, resourceVersion = '41') {
  return (target: unknown, extra: Partial<AdmissionInput> = {}): AdmissionInput => ({
    operation: 'UPDATE',
    kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    namespace: 'ml',
    name,
    subResource: 'scale',
    object: {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name, namespace: 'ml', resourceVersion },
      spec: to === 0 ? {} : { replicas: to },
    },
    oldObject: {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name, namespace: 'ml', resourceVersion },
      spec: { replicas: from },
    },
    userInfo: { username: 'mallory', groups: [] },
    scaleTarget: target,
    ...extra,
  });
}

describe('the scale subresource, judged as an UPDATE of the workload it scales', () => {
  const app = stored(deployment({ ...anchoredOptions, replicas: 2 }));

  it('refuses scaling beyond maxReplicas, for every scalable kind', () => {
    expect(decide(scale('app', 2, 10)(app), bounded, NOW)).toMatchObject({
      allowed: false,
      reason: 'BoundaryViolation',
    });
    for (const [apiVersion, kind] of [
      ['apps/v1', 'ReplicaSet'],
      ['apps/v1', 'StatefulSet'],
      ['v1', 'ReplicationController'],
    ] as const) {
      const target = stored(
        controller(apiVersion, kind, { ...anchoredOptions, name: 'w', replicas: 1 }),
      );
      expect(decide(scale('w', 1, 10)(target), bounded, NOW).reason, kind).toBe(
        'BoundaryViolation',
      );
      expect(decide(scale('w', 1, 3)(target), bounded, NOW).reason, kind).toBe('Anchored');
    }
  });

  it('admits scaling within the boundaries, and judges the whole chain', () => {
    expect(decide(scale('app', 2, 4)(app), bounded, NOW)).toMatchObject({
      allowed: true,
      reason: 'Anchored',
    });
    const suspended = snapshot({ capabilities: [capability(undefined, { suspend: true })] });
    expect(decide(scale('app', 2, 3)(app), suspended, NOW).reason).toBe('CapabilitySuspended');
  });

  it('leaves scaling down free, even when the cache does not know the workload', () => {
    expect(decide(scale('app', 2, 0)(undefined), bounded, NOW)).toMatchObject({
      allowed: true,
      reason: 'NotGoverned',
    });
    expect(decide(scale('app', 2, 2)(undefined), bounded, NOW).allowed).toBe(true);
  });

  it('fails closed when the cache does not hold the workload, or not its latest version', () => {
    expect(decide(scale('app', 2, 3)(undefined), bounded, NOW)).toMatchObject({
      allowed: false,
      reason: 'ScaleTargetUnknown',
    });
    expect(decide(scale('app', 2, 3, '42')(app), bounded, NOW)).toMatchObject({
      allowed: false,
      reason: 'ScaleTargetUnknown',
    });
    expect(decide(scale('other', 2, 3)(app), bounded, NOW).reason).toBe('ScaleTargetUnknown');
  });

  it('fails closed whatever the enforcement mode, but softens the chain by it', () => {
    const audit = snapshot({
      capabilities: [capability(undefined, { boundaries: { maxReplicas: 4 } })],
      policies: [policy({ enforcement: 'Audit' })],
    });
    expect(decide(scale('app', 2, 3)(undefined), audit, NOW).allowed).toBe(false);
    expect(decide(scale('app', 2, 10)(app), audit, NOW)).toMatchObject({
      allowed: true,
      reason: 'BoundaryViolation',
    });
  });

  it('judges an unanchored AI workload scaled up, and admits a non-AI one', () => {
    const bare = stored(deployment({ image: 'vllm/vllm-openai:v0.6.3', name: 'app' }));
    expect(decide(scale('app', 1, 2)(bare), bounded, NOW).reason).toBe('AnchorMissing');
    const web = stored(deployment({ name: 'app' }));
    expect(decide(scale('app', 1, 20)(web), bounded, NOW).reason).toBe('NotAIWorkload');
  });
});

describe('ephemeral containers, judged as an UPDATE of their Pod', () => {
  const running = pod({ name: 'web' });
  const debugged = (image: string, env: readonly object[] = []) => ({
    ...running,
    spec: {
      ...(running.spec as object),
      ephemeralContainers: [{ name: 'debug', image, env }],
    },
  });
  const request = (object: Record<string, unknown>): AdmissionInput =>
    admission(object, {
      operation: 'UPDATE',
      oldObject: running,
      subResource: 'ephemeralcontainers',
    });

  it('refuses an AI image or a model-provider key added to an unanchored pod', () => {
    expect(decide(request(debugged('vllm/vllm-openai:v0.6.3')), snapshot(), NOW)).toMatchObject({
      allowed: false,
      reason: 'AnchorMissing',
    });
    expect(
      decide(
        request(debugged('busybox', [{ name: 'OPENAI_API_KEY', value: 'k' }])),
        snapshot(),
        NOW,
      ).reason,
    ).toBe('AnchorMissing');
  });

  it('admits an ordinary debug container', () => {
    expect(decide(request(debugged('busybox:1.36')), snapshot(), NOW).reason).toBe('NotAIWorkload');
  });

  it('judges no other subresource', () => {
    expect(
      decide(
        admission(running, { operation: 'UPDATE', oldObject: running, subResource: 'status' }),
        snapshot(),
        NOW,
      ).reason,
    ).toBe('NotGoverned');
  });
});

describe('ReplicationControllers', () => {
  it('are workloads: an unanchored AI one is refused, an anchored one admitted', () => {
    const rc = (options = {}) =>
      controller('v1', 'ReplicationController', { image: 'ollama/ollama:0.5', ...options });
    expect(decide(admission(rc()), snapshot(), NOW).reason).toBe('AnchorMissing');
    expect(decide(admission(rc({ ...anchoredOptions, replicas: 2 })), snapshot(), NOW).reason).toBe(
      'Anchored',
    );
    expect(decide(admission(rc({ ...anchoredOptions, replicas: 9 })), bounded, NOW).reason).toBe(
      'BoundaryViolation',
    );
  });
});
