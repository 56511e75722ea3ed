import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { planRound } from '../../engine/plan/index.js';
import { GovernanceCache } from '../../operator/cache/governance-cache.js';
import { EventRecorder } from '../../operator/controller/events/recorder.js';
import { WriteOverlay } from '../../operator/controller/overlay.js';
import { StatusWriter, type OosObject } from '../../operator/controller/status.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { loadKubeconfig } from '../../operator/kube/kubeconfig.js';
import { controllerMetrics } from '../../operator/metrics/controller-metrics.js';
import { role } from '../controller/support.js';
import { installCrds } from '../support/cluster.js';
import { kubectl, kubectlOk, patchStatus } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

// The status writer against a real apiserver: what it remembers of a write (the object the
// apiserver answered, until the cache holds it) is forgotten as soon as the watch delivers the
// write, not when the status is next checked, and holds no managedFields; the echo of its own
// write asks for no check, anyone else's status write does.
const ROLE = 'oos-status-writer-e2e';
const KEY = `AccountableRole//${ROLE}`;

describe('the status writer and what it remembers of its writes', () => {
  let cache: GovernanceCache;
  let overlay: WriteOverlay<OosObject>;
  let writer: StatusWriter;
  const heard: string[] = [];

  beforeAll(async () => {
    await installCrds();
    await kubectl(['delete', 'accountablerole', ROLE, '--ignore-not-found']);
    await kubectlOk(['apply', '-f', '-'], { stdin: role(ROLE, ['status-writer-e2e-alice']) });
    const rest = new KubeRest(loadKubeconfig({ file: inject('kubeconfig') }).access);
    const logger = pino({ level: 'silent' });
    cache = new GovernanceCache({ rest, logger, engine: { operatorNamespace: 'oos-system' } });
    overlay = new WriteOverlay<OosObject>();
    writer = new StatusWriter({
      rest,
      logger,
      events: new EventRecorder({ rest, logger, instance: 'e2e', clock: () => new Date() }),
      overlay,
      metrics: controllerMetrics(new Registry()),
      latest: (key) => {
        const [kind = '', namespace = '', ...name] = key.split('/');
        return cache.object(kind, namespace === '' ? undefined : namespace, name.join('/')) as
          OosObject | undefined;
      },
    });
    // As the controller does: the cache keeps the writer's own status objects, and a change of a
    // status alone is observed, then checked again.
    cache.shareOwnStatuses((object) => writer.ownStatus(object));
    cache.subscribeStatus((keys) => {
      for (const key of keys) writer.observe(key);
      heard.push(...keys);
    });
    cache.start();
    await waitFor('the cache to hold the role', () =>
      Promise.resolve(cache.snapshot()?.roles.has(ROLE) === true ? true : undefined),
    );
  });

  afterAll(async () => {
    await cache.stop();
    await kubectl(['delete', 'accountablerole', ROLE, '--ignore-not-found']);
  });

  it('writes the planned status and forgets the write once the watch delivers it', async () => {
    const snapshot = cache.snapshot();
    const objects = cache.objects();
    if (snapshot === undefined || objects === undefined) throw new Error('the cache is not synced');
    const plan = planRound({
      snapshot,
      objects,
      workloads: [],
      namespaceLabels: (namespace) => cache.namespaceLabels(namespace),
      invalid: cache.invalidObjects(),
      now: new Date(),
    });
    const wanted = plan.statuses.get(KEY)?.wanted as { conditions?: unknown[] } | undefined;
    expect(wanted?.conditions?.length).toBeGreaterThan(0);
    await writer.reconcile(KEY, plan);
    const stored = JSON.parse(
      await kubectlOk(['get', 'accountablerole', ROLE, '-o', 'json', '--show-managed-fields']),
    ) as {
      status?: { conditions?: unknown[] };
      metadata: { managedFields?: unknown[] };
    };
    expect(stored.status?.conditions?.length).toBeGreaterThan(0);
    // The apiserver's answer carried managedFields; the write remembered does not.
    expect(stored.metadata.managedFields?.length).toBeGreaterThan(0);
    for (const remembered of overlay.pending()) {
      expect((remembered.metadata as { managedFields?: unknown }).managedFields).toBeUndefined();
    }
    await waitFor('the watch to deliver the write', () =>
      Promise.resolve(heard.includes(KEY) ? true : undefined),
    );
    // No further check of the status ran: only the watch event made the writer forget it.
    expect(overlay.size).toBe(0);
    expect(cache.object('AccountableRole', undefined, ROLE)).toMatchObject({
      status: stored.status,
    });
    // The echo of its own write needs no second check.
    expect(writer.observe(KEY)).toBe(false);
  });

  it('keeps one copy of the status it wrote, shared by the writer and the cache', async () => {
    const held = cache.object('AccountableRole', undefined, ROLE) as OosObject;
    // The object as the apiserver serves it now: its status a fresh copy, equal to the write.
    const served = JSON.parse(
      await kubectlOk(['get', 'accountablerole', ROLE, '-o', 'json']),
    ) as OosObject;
    expect(held.status).toEqual(served.status);
    expect(held.status).not.toBe(served.status);
    // What the writer remembers is the very object the cache holds (whichever of the write's
    // answer and its watch event came first).
    expect(writer.ownStatus(served)).toBe(held.status);
    // Another event carrying that status (a label added) brings another copy of it: the cache
    // keeps the one it holds.
    await kubectlOk(['label', 'accountablerole', ROLE, 'oos-e2e/touched=yes']);
    await waitFor('the watch to deliver the label', () =>
      Promise.resolve(
        (cache.object('AccountableRole', undefined, ROLE) as OosObject | undefined)?.metadata
          .resourceVersion !== held.metadata.resourceVersion
          ? true
          : undefined,
      ),
    );
    const relabelled = cache.object('AccountableRole', undefined, ROLE) as OosObject;
    expect(relabelled.status).toBe(held.status);
    // A status of the same shape that is not the write is not taken for it.
    const other = { ...served, status: { ...served.status, conditions: [] } };
    expect(writer.ownStatus(other)).toBeUndefined();
    expect(writer.ownStatus({ ...served, metadata: { ...served.metadata, uid: 'another' } })).toBe(
      undefined,
    );
  });

  it("asks for a check of a status someone else wrote, even one as plausible as oos's", async () => {
    const told = heard.length;
    const current = cache.object('AccountableRole', undefined, ROLE) as OosObject;
    const conditions = (current.status?.conditions ?? []).map((c) => ({
      ...c,
      message: 'forged',
    }));
    await patchStatus('accountablerole', ROLE, { conditions });
    await waitFor('the watch to deliver the forged status', () =>
      Promise.resolve(heard.slice(told).includes(KEY) ? true : undefined),
    );
    expect(writer.observe(KEY)).toBe(true);
  });
});
