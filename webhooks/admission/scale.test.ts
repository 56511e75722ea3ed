import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NOW,
  anchoredOptions,
  capability,
  deployment,
  snapshot,
} from '../../engine/testing/fixtures.js';
import { buildApp, type AdmissionApp } from '../app.js';
import type { GovernanceSource, ScaleTargetRef } from '../governance-source.js';

let app: AdmissionApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const stored = {
  ...deployment({ ...anchoredOptions, replicas: 2 }),
  metadata: { name: 'app', namespace: 'ml', labels: anchoredOptions.labels, resourceVersion: '7' },
};

/** A source whose cache holds `cached`, only after a wait when `lag` (a lagging watch). */
function source(
  cached: unknown,
  lag = 0,
): { governance: GovernanceSource; asked: ScaleTargetRef[] } {
  const asked: ScaleTargetRef[] = [];
  let polls = 0;
  const governance: GovernanceSource = {
    snapshot: () =>
      snapshot({ capabilities: [capability(undefined, { boundaries: { maxReplicas: 4 } })] }),
    namespaceLabels: () => undefined,
    synced: () => true,
    pending: () => [],
    scaleTarget: (ref) => {
      asked.push(ref);
      return polls >= lag ? cached : undefined;
    },
    scaleTargetCaughtUp: async () => {
      await Promise.resolve();
      polls = lag;
    },
  };
  return { governance, asked };
}

function scaleReview(replicas: number, resourceVersion = '7'): object {
  const scale = (n: number) => ({
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: 'app', namespace: 'ml', resourceVersion },
    spec: { replicas: n },
  });
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u1',
      kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      subResource: 'scale',
      name: 'app',
      namespace: 'ml',
      operation: 'UPDATE',
      userInfo: { username: 'mallory', groups: [] },
      object: scale(replicas),
      oldObject: scale(2),
    },
  };
}

async function validate(governance: GovernanceSource, body: object) {
  app = buildApp({
    governance,
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
  });
  const response = await app.inject({ method: 'POST', url: '/validate', payload: body });
  return response.json<{ response: { allowed: boolean; status?: { reason: string } } }>().response;
}

describe('scale requests at the admission server', () => {
  it('judge the cached workload with the Scale replicas, looked up by resource and name', async () => {
    const { governance, asked } = source(stored);
    expect(await validate(governance, scaleReview(10))).toMatchObject({
      allowed: false,
      status: { reason: 'BoundaryViolation' },
    });
    expect(asked[0]).toEqual({
      group: 'apps',
      resource: 'deployments',
      namespace: 'ml',
      name: 'app',
      resourceVersion: '7',
    });
    expect((await validate(governance, scaleReview(4))).allowed).toBe(true);
  });

  it('wait for a lagging cache, then judge', async () => {
    const { governance } = source(stored, 1);
    expect((await validate(governance, scaleReview(10))).status?.reason).toBe('BoundaryViolation');
  });

  it('fail closed when the cache does not know the workload, or without a cache', async () => {
    expect((await validate(source(undefined).governance, scaleReview(3))).status?.reason).toBe(
      'ScaleTargetUnknown',
    );
    const full = source(stored).governance;
    const bare: GovernanceSource = {
      snapshot: () => full.snapshot(),
      namespaceLabels: () => undefined,
      synced: () => true,
      pending: () => [],
    };
    expect((await validate(bare, scaleReview(3))).status?.reason).toBe('ScaleTargetUnknown');
    expect((await validate(bare, scaleReview(1))).allowed).toBe(true);
  });
});
