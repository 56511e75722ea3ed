import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

/**
 * oos as the chart installs it, on a cluster with nodes: run by `npm run e2e:kind` after
 * `helm install`, with OOS_E2E_RELEASE=<namespace>/<release>. Skipped on the built-in control
 * plane (no nodes: the operator never runs there).
 */
const [namespace = '', release = ''] = (process.env.OOS_E2E_RELEASE ?? '').split('/');
const fullname = release.includes('oos') ? release : `${release}-oos`;
const NS = 'oos-kind-e2e';

const deployment = (name: string, labels: Record<string, string>, gpus: number): string =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'registry.example/ml/server:1',
              ...(gpus > 0 ? { resources: { limits: { 'nvidia.com/gpu': gpus } } } : {}),
            },
          ],
        },
      },
    },
  });

const dryRun = (yaml: string) =>
  kubectl(['create', '--dry-run=server', '-f', '-'], { stdin: yaml });

describe.skipIf(release === '')('oos installed by the chart, on kind', () => {
  it('runs every replica ready (ready = the governance cache has synced)', async () => {
    const ready = await waitFor(
      'the operator Deployment to be available',
      async () => {
        const live = await getJson<{
          spec: { replicas: number };
          status: { readyReplicas?: number; updatedReplicas?: number };
        }>(['deployment', fullname, '-n', namespace]);
        return live.status.readyReplicas === live.spec.replicas ? live : undefined;
      },
      { timeoutMs: 180_000 },
    );
    expect(ready.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('has published its CA bundle into both webhook configurations', async () => {
    for (const configuration of [
      `validatingwebhookconfiguration/${fullname}-validating`,
      `mutatingwebhookconfiguration/${fullname}-mutating`,
    ]) {
      const live = await getJson<{ webhooks: { clientConfig: { caBundle?: string } }[] }>([
        configuration,
      ]);
      for (const webhook of live.webhooks) {
        expect(Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64').toString()).toContain(
          '-----BEGIN CERTIFICATE-----',
        );
      }
    }
  });

  it('answers admission in the cluster: the webhook judges the chain, the fallback the anchor', async () => {
    await kubectl(['create', 'namespace', NS]);
    // Anchored, so the fallback policy lets it through; the capability does not exist.
    const unknown = await dryRun(deployment('llm', { 'oos.dev/capability': 'does-not-exist' }, 1));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('admission webhook "workloads.oos.dev" denied the request');
    expect(unknown.stderr).toContain('CapabilityNotFound');
    const unanchored = await dryRun(deployment('llm', {}, 1));
    expect(unanchored.code).not.toBe(0);
    expect(unanchored.stderr).toContain('AnchorMissing');
    expect((await dryRun(deployment('web', {}, 0))).code).toBe(0);
  });

  it('fails no admission request during a rolling update of the operator', async () => {
    const state = { stop: false };
    const failures: string[] = [];
    let answered = 0;
    const load = (async () => {
      while (!state.stop) {
        const result = await dryRun(deployment(`web-${answered}`, {}, 0));
        answered += 1;
        if (result.code !== 0) failures.push(result.stderr.trim());
      }
    })();
    try {
      await kubectlOk(['rollout', 'restart', `deployment/${fullname}`, '-n', namespace]);
      await kubectlOk([
        'rollout',
        'status',
        `deployment/${fullname}`,
        '-n',
        namespace,
        '--timeout=300s',
      ]);
    } finally {
      state.stop = true;
      await load;
    }
    expect(answered).toBeGreaterThan(10);
    expect(failures).toEqual([]);
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
  });

  it('serves Prometheus metrics over HTTPS on the webhook Service', async () => {
    const metrics = await kubectlOk([
      'get',
      '--raw',
      `/api/v1/namespaces/${namespace}/services/https:${fullname}-webhook:443/proxy/metrics`,
    ]);
    expect(metrics).toContain('oos_admission_reviews_total');
  });
});
