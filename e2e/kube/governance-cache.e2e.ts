import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GovernanceCache } from '../../operator/cache/governance-cache.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { loadKubeconfig } from '../../operator/kube/kubeconfig.js';
import { role } from '../controller/support.js';
import { installCrds } from '../support/cluster.js';
import { kubectl, kubectlOk, patchStatus } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

// The governance cache against a real apiserver: a change of an object's status alone (what the
// controller writes) refreshes the objects without rebuilding the snapshot or waking the
// controller's round; any other change rebuilds it. Admission's cache (keepOutputStatus: false)
// holds no such status, and a write of one is no change to it at all.
const ROLE = 'oos-cache-status-e2e';
const BARRIER = 'oos-cache-status-e2e-barrier';

const status = (reason: string) => ({
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason,
      message: 'set by the e2e test',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    },
  ],
});

interface Parsed {
  readonly spec: unknown;
  readonly status?: { readonly conditions?: readonly { readonly reason?: string }[] };
}

describe('the governance cache and changes of status alone', () => {
  let cache: GovernanceCache;
  const snapshots: unknown[] = [];
  const statusKeys: string[] = [];
  // Admission's cache: the statuses the controller writes are dropped.
  let admission: GovernanceCache;
  const admissionSnapshots: unknown[] = [];
  const admissionStatusKeys: string[] = [];

  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: role(ROLE, ['cache-e2e-alice']) });
    cache = new GovernanceCache({
      rest: new KubeRest(loadKubeconfig({ file: inject('kubeconfig') }).access),
      logger: pino({ level: 'silent' }),
      engine: { operatorNamespace: 'oos-system' },
    });
    cache.subscribe((snapshot) => snapshots.push(snapshot));
    cache.subscribeStatus((keys) => statusKeys.push(...keys));
    cache.start();
    admission = new GovernanceCache({
      rest: new KubeRest(loadKubeconfig({ file: inject('kubeconfig') }).access),
      logger: pino({ level: 'silent' }),
      engine: { operatorNamespace: 'oos-system' },
      keepOutputStatus: false,
    });
    admission.subscribe((snapshot) => admissionSnapshots.push(snapshot));
    admission.subscribeStatus((keys) => admissionStatusKeys.push(...keys));
    admission.start();
    for (const each of [cache, admission]) {
      await waitFor('the cache to hold the role', () =>
        Promise.resolve(each.snapshot()?.roles.has(ROLE) === true ? true : undefined),
      );
    }
  });

  afterAll(async () => {
    await cache.stop();
    await admission.stop();
    await kubectl(['delete', 'accountablerole', ROLE, BARRIER, '--ignore-not-found']);
  });

  const cached = (): Parsed | undefined =>
    cache.objects()?.roles?.find((r) => r.metadata.name === ROLE);

  it('tells the status listeners, keeps the snapshot and the spec object, shows the new status', async () => {
    const snapshot = cache.snapshot();
    const spec = cached()?.spec;
    expect(spec).toBeDefined();
    const told = snapshots.length;
    const admissionHeld = admission.object('AccountableRole', undefined, ROLE);
    expect(admissionHeld).toBeDefined();
    await patchStatus('accountablerole', ROLE, status('FirstWrite'));
    await waitFor('the status listener to hear of the role', () =>
      Promise.resolve(statusKeys.includes(`AccountableRole//${ROLE}`) ? true : undefined),
    );
    expect(snapshots.length).toBe(told);
    expect(cache.snapshot()).toBe(snapshot);
    expect(cached()?.spec).toBe(spec);
    expect(cached()?.status?.conditions?.[0]?.reason).toBe('FirstWrite');
    expect(cache.object('AccountableRole', undefined, ROLE)).toMatchObject({
      status: { conditions: [{ reason: 'FirstWrite' }] },
    });
    // Admission's cache: a role made after the write is a barrier (one watch, in order); once
    // admission holds it, it has seen the write, and still holds the very object it held before.
    await kubectlOk(['apply', '-f', '-'], { stdin: role(BARRIER, ['cache-e2e-bob']) });
    await waitFor('admission to hold the barrier role', () =>
      Promise.resolve(admission.snapshot()?.roles.has(BARRIER) === true ? true : undefined),
    );
    expect(admission.object('AccountableRole', undefined, ROLE)).toBe(admissionHeld);
    expect(admissionStatusKeys).toEqual([]);
    expect(admissionHeld).not.toHaveProperty('status');
    const held = admission.objects()?.roles?.find((r) => r.metadata.name === ROLE);
    expect(held).toBeDefined();
    expect(held).not.toHaveProperty('status');
  });

  it('rebuilds the snapshot for a label, with a new spec object', async () => {
    const snapshot = cache.snapshot();
    const spec = cached()?.spec;
    const told = snapshots.length;
    const admissionSnapshot = admission.snapshot();
    const admissionTold = admissionSnapshots.length;
    await kubectlOk(['label', 'accountablerole', ROLE, 'team=cache-e2e']);
    await waitFor('the snapshot to be rebuilt', () =>
      Promise.resolve(snapshots.length > told ? true : undefined),
    );
    await waitFor("admission's snapshot to be rebuilt", () =>
      Promise.resolve(admissionSnapshots.length > admissionTold ? true : undefined),
    );
    expect(admission.snapshot()).not.toBe(admissionSnapshot);
    expect(admission.snapshot()?.roles.get(ROLE)).toBeDefined();
    expect(cache.snapshot()).not.toBe(snapshot);
    expect(cached()?.spec).not.toBe(spec);
    expect(cached()?.spec).toEqual(spec);
  });

  it('rebuilds the snapshot for an annotation, with the same spec object (no rule reads one)', async () => {
    const spec = cached()?.spec;
    const told = snapshots.length;
    await kubectlOk(['annotate', 'accountablerole', ROLE, 'example.com/ticket=OPS-1']);
    await waitFor('the snapshot to be rebuilt', () =>
      Promise.resolve(snapshots.length > told ? true : undefined),
    );
    const held = cache.object('AccountableRole', undefined, ROLE) as
      { metadata: { annotations?: Record<string, string> } } | undefined;
    expect(held?.metadata.annotations?.['example.com/ticket']).toBe('OPS-1');
    expect(cached()?.spec).toBe(spec);
  });
});
