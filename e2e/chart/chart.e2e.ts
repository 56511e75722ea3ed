import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import {
  at,
  CRDS,
  CHART,
  EVIDENCE_POLICY,
  Helm,
  MUTATING,
  NAMESPACE_POLICY,
  NETWORK_POLICY_FALLBACK,
  NS,
  OPERATOR_USER,
  OPTIONS,
  parseManifests,
  POLICY,
  RELEASE,
  SA,
  TLS_SECRET,
  VALIDATING,
} from '../../charts/oos/testing/chart.js';
import { tokenKubeconfig } from '../../controlplane/kubeconfig.js';
import {
  spawnOperator,
  waitUntilReady,
  type OperatorProcess,
} from '../../controlplane/operator.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

// The chart on a real apiserver: its manifests sent with --dry-run=server, the fallback policy
// enforced with no webhook running, and a real install, upgrade and uninstall. What needs no
// cluster (lint, render) is in charts/oos/render.test.ts.
const helm = new Helm(inject('helm'), inject('kubeconfig'));

/** Kinds whose CRDs the control plane does not have: rendered and checked, not sent. */
const FOREIGN_GROUPS = ['cert-manager.io/', 'monitoring.coreos.com/'];

let createdCrds = false;

beforeAll(async () => {
  const existing = await kubectl(['get', 'crd', 'governancepolicies.oos.dev']);
  createdCrds = existing.code !== 0;
  await kubectlOk(['apply', '--server-side', '--field-manager=chart-e2e', '-f', CRDS]);
  await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', '-f', CRDS]);
});

afterAll(async () => {
  // Whatever a failed test left behind, so later files start from a clean cluster.
  await helm.run(['uninstall', RELEASE, '--namespace', NS, '--wait', '--timeout', '60s']);
  await kubectl([
    'delete',
    'validatingadmissionpolicybinding,validatingadmissionpolicy',
    POLICY,
    EVIDENCE_POLICY,
    NAMESPACE_POLICY,
    NETWORK_POLICY_FALLBACK,
    '--ignore-not-found',
  ]);
  await kubectl(['delete', 'validatingwebhookconfiguration', VALIDATING, '--ignore-not-found']);
  await kubectl(['delete', 'mutatingwebhookconfiguration', MUTATING, '--ignore-not-found']);
  // Kept by the upgrade test (deleting governance needs oos, unreachable without a node); with
  // the webhooks gone it can be removed.
  await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
  await kubectl(['delete', 'clusterrolebinding,clusterrole', RELEASE, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--timeout=120s']);
  if (createdCrds) {
    await kubectl(['delete', '--ignore-not-found', '--timeout=120s', '-f', CRDS]);
  }
});

describe('the rendered manifests on the real apiserver', () => {
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', NS]);
  });

  it.each(Object.entries(OPTIONS))(
    'are accepted by `kubectl apply --dry-run=server` with %s',
    async (_name, options: readonly string[]) => {
      const objects = await helm.render(options);
      const sent = objects.filter((o) => !FOREIGN_GROUPS.some((g) => o.apiVersion.startsWith(g)));
      const skipped = objects.filter((o) => !sent.includes(o)).map((o) => o.kind);
      if (options.includes('certManager.enabled=true')) expect(skipped).toContain('Certificate');
      if (options.includes('metrics.serviceMonitor.enabled=true')) {
        expect(skipped).toEqual(['ServiceMonitor']);
      }
      const out = await kubectlOk(['apply', '--dry-run=server', '-f', '-'], {
        stdin: sent.map((o) => stringify(o)).join('---\n'),
      });
      expect(out.trim().split('\n')).toHaveLength(sent.length);
    },
  );
});

/** A Deployment (or, with `kind`, another pod controller) in `namespace`, as YAML. */
function workload(
  namespace: string,
  name: string,
  container: Record<string, unknown>,
  labels: Record<string, string> = {},
  templateLabels: Record<string, string> = labels,
  resourceClaims?: Record<string, unknown>[],
): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...templateLabels } },
        spec: {
          containers: [{ name: 'main', image: 'registry.example/ml/server:1', ...container }],
          ...(resourceClaims === undefined ? {} : { resourceClaims }),
        },
      },
    },
  });
}

const GPU = { resources: { limits: { 'nvidia.com/gpu': 1 } } };
const ANCHOR = { 'oos.dev/capability': 'llm-serving' };

describe('the fallback ValidatingAdmissionPolicy, with no webhook running', () => {
  const ML = 'oos-chart-fallback';
  const EXEMPT = 'oos-chart-fallback-exempt';

  const create = (yaml: string, options: { as?: string } = {}) =>
    kubectl(['create', '--dry-run=server', '-f', '-'], { stdin: yaml, ...options });

  beforeAll(async () => {
    for (const ns of [ML, EXEMPT]) await kubectlOk(['create', 'namespace', ns]);
    // Runs before the policy: an unanchored AI workload that already exists when oos arrives.
    await kubectlOk(['apply', '-f', '-'], { stdin: workload(ML, 'legacy', GPU) });
    await kubectlOk(['apply', '-f', '-'], { stdin: workload(ML, 'anchored', GPU, ANCHOR) });
    // The operator's identity may create workloads here, to show it is never re-judged.
    await kubectlOk([
      'create',
      'rolebinding',
      'operator-edit',
      '--clusterrole=edit',
      `--user=${OPERATOR_USER}`,
      '-n',
      ML,
    ]);
    const policy = await helm.ok([
      'template',
      RELEASE,
      CHART,
      '--namespace',
      NS,
      '--show-only',
      'templates/fallback-policy.yaml',
      '--set-json',
      `fallbackPolicy.excludedNamespaces=${JSON.stringify([EXEMPT])}`,
    ]);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy });
    // The apiserver compiles a new policy within a few seconds: wait until it denies.
    await waitFor('the fallback policy to be active', async () => {
      const result = await create(workload(ML, 'probe', GPU));
      return result.code !== 0 && result.stderr.includes('AnchorMissing') ? true : undefined;
    });
  });

  afterAll(async () => {
    await kubectl([
      'delete',
      'validatingadmissionpolicybinding,validatingadmissionpolicy',
      POLICY,
      '--ignore-not-found',
    ]);
    for (const ns of [ML, EXEMPT]) {
      await kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--timeout=120s']);
    }
  });

  it('compiles without type-checking warnings', async () => {
    const policy = await getJson(['validatingadmissionpolicy', POLICY]);
    expect(at(policy, 'status', 'observedGeneration')).toBe(at(policy, 'metadata', 'generation'));
    expect(at(policy, 'status', 'typeChecking', 'expressionWarnings')).toBeUndefined();
  });

  it('refuses an unanchored AI Deployment, saying what is missing', async () => {
    const result = await create(workload(ML, 'llm', GPU));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    expect(result.stderr).toContain(
      `AnchorMissing: Deployment ${ML}/llm is an AI workload (it requests an accelerator) but carries no oos.dev/capability label`,
    );
  });

  it('admits the same Deployment anchored, on the object or on its pod template alone', async () => {
    expect(
      (await kubectl(['apply', '-f', '-'], { stdin: workload(ML, 'llm', GPU, ANCHOR) })).code,
    ).toBe(0);
    expect((await create(workload(ML, 'templated', GPU, {}, ANCHOR))).code).toBe(0);
    expect((await create(workload(ML, 'objectonly', GPU, ANCHOR, {}))).code).toBe(0);
  });

  const AI_WORKLOADS: [string, string][] = [
    [
      'a Pod running a vLLM image',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'vllm', namespace: ML },
        spec: { containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.6.3' }] },
      }),
    ],
    [
      'a Pod holding a model-provider credential',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'agent', namespace: ML },
        spec: {
          containers: [
            { name: 'main', image: 'busybox', env: [{ name: 'ANTHROPIC_API_KEY', value: 'x' }] },
          ],
        },
      }),
    ],
    [
      'a CronJob whose pod template is labelled oos.dev/ai-workload=true',
      stringify({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly', namespace: ML },
        spec: {
          schedule: '0 2 * * *',
          jobTemplate: {
            spec: {
              template: {
                metadata: { labels: { 'oos.dev/ai-workload': 'true' } },
                spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
              },
            },
          },
        },
      }),
    ],
    [
      'a Job with an AMD GPU in an init container',
      stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'warmup', namespace: ML },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              initContainers: [
                { name: 'init', image: 'busybox', resources: { limits: { 'amd.com/gpu': 1 } } },
              ],
              containers: [{ name: 'main', image: 'busybox' }],
            },
          },
        },
      }),
    ],
    [
      'a StatefulSet running Ollama',
      stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'ollama', namespace: ML },
        spec: {
          serviceName: 'ollama',
          selector: { matchLabels: { app: 'ollama' } },
          template: {
            metadata: { labels: { app: 'ollama' } },
            spec: { containers: [{ name: 'main', image: 'ollama/ollama:0.3.12' }] },
          },
        },
      }),
    ],
    [
      'a DaemonSet requesting a TPU',
      stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'tpu', namespace: ML },
        spec: {
          selector: { matchLabels: { app: 'tpu' } },
          template: {
            metadata: { labels: { app: 'tpu' } },
            spec: {
              containers: [
                {
                  name: 'main',
                  image: 'busybox',
                  resources: { requests: { 'google.com/tpu': 4 }, limits: { 'google.com/tpu': 4 } },
                },
              ],
            },
          },
        },
      }),
    ],
    [
      'a Pod importing a model-provider Secret with envFrom',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'envfrom', namespace: ML },
        spec: {
          containers: [
            { name: 'main', image: 'busybox', envFrom: [{ secretRef: { name: 'openai-key' } }] },
          ],
        },
      }),
    ],
    [
      'a Pod requesting a time-sliced GPU (nvidia.com/gpu.shared)',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'shared', namespace: ML },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'busybox',
              resources: { limits: { 'nvidia.com/gpu.shared': 1 } },
            },
          ],
        },
      }),
    ],
    [
      'a Deployment whose pods claim devices through Dynamic Resource Allocation',
      workload(ML, 'dra', {}, {}, {}, [{ name: 'gpu', resourceClaimTemplateName: 'gpu' }]),
    ],
  ];

  it.each(AI_WORKLOADS)('refuses %s without the anchor', async (_what, yaml) => {
    const result = await create(yaml);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('AnchorMissing');
  });

  const NOT_AI: [string, string][] = [
    [
      'a bare Pod: no labels, no resources, no env',
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare', namespace: ML },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      }),
    ],
    [
      'a Deployment asking for zero GPUs',
      workload(ML, 'zero', { resources: { limits: { 'nvidia.com/gpu': 0 } } }),
    ],
    [
      'a Deployment with only CPU requests',
      workload(ML, 'cpu', { resources: { requests: { cpu: '100m' } } }),
    ],
    [
      'a CronJob with no labels anywhere',
      stringify({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'plain', namespace: ML },
        spec: {
          schedule: '0 2 * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
              },
            },
          },
        },
      }),
    ],
  ];

  it.each(NOT_AI)('admits %s (no evaluation error on missing fields)', async (_what, yaml) => {
    const result = await create(yaml);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses an AI ephemeral container added to a running Pod (pods/ephemeralcontainers)', async () => {
    const pod = stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debuggee', namespace: ML },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
    });
    expect((await kubectl(['apply', '-f', '-'], { stdin: pod })).code).toBe(0);
    const debug = (image: string) =>
      kubectl(
        [
          'patch',
          'pod',
          'debuggee',
          '-n',
          ML,
          '--subresource=ephemeralcontainers',
          '--type=merge',
          '-p',
        ].concat(
          JSON.stringify({
            spec: { ephemeralContainers: [{ name: `dbg-${image.length}`, image, stdin: true }] },
          }),
        ),
      );
    const refused = await debug('ollama/ollama:0.5');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AnchorMissing');
    expect((await debug('busybox:1.37')).code).toBe(0);
  });

  it('leaves excluded namespaces and the operator identity alone', async () => {
    expect((await create(workload(EXEMPT, 'llm', GPU))).code).toBe(0);
    expect((await create(workload(ML, 'stopped', GPU), { as: OPERATOR_USER })).code).toBe(0);
  });

  it('lets an existing unanchored workload be updated, but refuses removing an anchor', async () => {
    expect((await kubectl(['label', 'deployment', 'legacy', '-n', ML, 'team=ml'])).code).toBe(0);
    const removed = await kubectl(['apply', '-f', '-'], { stdin: workload(ML, 'anchored', GPU) });
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toContain('AnchorMissing');
  });
});

/** The chart's ServiceAccount as a kubeconfig: a short-lived token for the same apiserver. */
async function serviceAccountKubeconfig(dir: string): Promise<string> {
  const token = (await kubectlOk(['create', 'token', SA, '-n', NS, '--duration=10m'])).trim();
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, tokenKubeconfig(inject('kubeconfig'), SA, token));
  return file;
}

/**
 * Nothing in the cluster for the operator's controller to act on (no workloads outside the
 * system namespaces and the release's, no governance objects), so running it here sends no
 * request that the chart's webhooks would try to forward to their (endpoint-less) Service.
 */
async function clusterIsQuiet(): Promise<true | undefined> {
  // local-path-storage: kind's storage provisioner (npm run e2e:kind), not an AI workload.
  const quiet = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage', NS];
  const workloads = await getJson<{ items: { metadata: { namespace: string } }[] }>([
    'deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs,pods',
    '--all-namespaces',
  ]);
  // The chart's own GovernancePolicy only gets its status written (a subresource: not sent).
  const governance = await getJson<{ items: { kind: string }[] }>(['oos', '--all-namespaces']);
  const busy = workloads.items.filter((item) => !quiet.includes(item.metadata.namespace));
  const others = governance.items.filter((item) => item.kind !== 'GovernancePolicy');
  return busy.length === 0 && others.length === 0 ? true : undefined;
}

describe('helm install into the control plane', () => {
  let operator: OperatorProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'oos-chart-e2e-'));

  afterAll(async () => {
    await operator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every object; the Pods stay Pending (no nodes) and nothing waits on the webhook', async () => {
    // The GovernancePolicy is created before the webhook configurations (Helm orders the kinds
    // it does not know alphabetically), so installing it never needs the webhook to answer.
    const out = await helm.ok([
      'install',
      RELEASE,
      CHART,
      '--namespace',
      NS,
      '--create-namespace',
      ...OPTIONS['governancePolicy.create'],
    ]);
    expect(out).toContain('STATUS: deployed');
    const manifest = parseManifests(await helm.ok(['get', 'manifest', RELEASE, '--namespace', NS]));
    expect(manifest.length).toBeGreaterThanOrEqual(13);
    for (const object of manifest) {
      const where =
        object.metadata.namespace === undefined ? [] : ['-n', object.metadata.namespace];
      const slash = object.apiVersion.lastIndexOf('/');
      const type = slash < 0 ? object.kind : `${object.kind}.${object.apiVersion.slice(0, slash)}`;
      const live = await getJson([type, object.metadata.name, ...where]);
      expect(at(live, 'metadata', 'uid'), `${object.kind} ${object.metadata.name}`).toBeDefined();
    }
    for (const crd of ['capabilities.oos.dev', 'governancepolicies.oos.dev']) {
      await kubectlOk(['get', 'crd', crd]);
    }
    const pods = await waitFor('the operator Pods', async () => {
      const list = await getJson<{ items: { status?: { phase?: string } }[] }>(['pods', '-n', NS]);
      return list.items.length === 2 ? list.items : undefined;
    });
    expect(pods.map((p) => p.status?.phase)).toEqual(['Pending', 'Pending']);
  });

  it('grants the operator enough: run as the chart ServiceAccount, it gets ready and publishes its CA', async () => {
    await waitFor(
      'a quiet cluster (no workloads or governance objects of other tests)',
      clusterIsQuiet,
      {
        timeoutMs: 120_000,
      },
    );
    const kubeconfig = await serviceAccountKubeconfig(dir);
    // The Deployment's arguments; the launcher adds this host's address and a free port.
    const deployment = await getJson(['deployment', RELEASE, '-n', NS]);
    const args = (
      at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'args') as string[]
    ).filter((arg) => !arg.startsWith('--port='));
    operator = await spawnOperator({ kubeconfig, webhookUrl: false, args });
    await waitUntilReady(operator, { webhooks: false });
    const secret = await getJson(['secret', TLS_SECRET, '-n', NS]);
    const ca = at(secret, 'data', 'ca.crt');
    expect(typeof ca).toBe('string');
    for (const configuration of [
      `validatingwebhookconfiguration/${VALIDATING}`,
      `mutatingwebhookconfiguration/${MUTATING}`,
    ]) {
      await waitFor(`the CA bundle in ${configuration}`, async () => {
        const live = await getJson([configuration]);
        const bundles = (at(live, 'webhooks') as { clientConfig: { caBundle?: string } }[]).map(
          (w) => w.clientConfig.caBundle,
        );
        return bundles.every((b) => b === ca) ? true : undefined;
      });
    }
    await waitFor('the leader-election Lease', async () => {
      const leases = await getJson<{ items: unknown[] }>(['leases', '-n', NS]);
      return leases.items.length > 0 ? true : undefined;
    });
    // Nothing the operator did was refused by RBAC.
    const problems = operator
      .logs()
      .split('\n')
      .filter((line) => /forbidden|"level":(50|60)/i.test(line));
    expect(problems).toEqual([]);
    await operator.stop();
  });

  it('upgrades in place, keeping the published CA bundle', async () => {
    const before = await getJson([`validatingwebhookconfiguration/${VALIDATING}`]);
    // Without the GovernancePolicy: re-applying it would need the webhook to answer.
    await helm.ok(['upgrade', RELEASE, CHART, '--namespace', NS, '--set', 'replicaCount=3']);
    const after = await getJson([`validatingwebhookconfiguration/${VALIDATING}`]);
    expect(at(after, 'webhooks', 0, 'clientConfig', 'caBundle')).toBe(
      at(before, 'webhooks', 0, 'clientConfig', 'caBundle'),
    );
    expect(at(await getJson(['deployment', RELEASE, '-n', NS]), 'spec', 'replicas')).toBe(3);
    // Helm tried to delete the GovernancePolicy the new values no longer render, but deleting
    // governance is judged by oos, and with no node the webhook cannot answer: fail closed, the
    // operating model stays as it was.
    expect((await kubectl(['get', 'governancepolicy', 'default'])).code).toBe(0);
  });

  it('refuses a typo in the values at install, installing nothing', async () => {
    const typo = await helm.run([
      'install',
      'oos-typo',
      CHART,
      '--namespace',
      NS,
      '--set',
      'replicaz=3',
    ]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("values don't meet the specifications of the schema");
    expect(typo.stderr).toContain("additional properties 'replicaz' not allowed");
    expect((await helm.run(['status', 'oos-typo', '--namespace', NS])).code).not.toBe(0);
  });

  it('uninstalls every cluster-wide object it created', async () => {
    await helm.ok(['uninstall', RELEASE, '--namespace', NS, '--wait', '--timeout', '60s']);
    for (const gone of [
      ['validatingwebhookconfiguration', VALIDATING],
      ['mutatingwebhookconfiguration', MUTATING],
      ['validatingadmissionpolicy', POLICY],
      ['validatingadmissionpolicybinding', POLICY],
      ['validatingadmissionpolicy', EVIDENCE_POLICY],
      ['validatingadmissionpolicybinding', EVIDENCE_POLICY],
      ['validatingadmissionpolicy', NAMESPACE_POLICY],
      ['validatingadmissionpolicybinding', NAMESPACE_POLICY],
      ['validatingadmissionpolicy', NETWORK_POLICY_FALLBACK],
      ['validatingadmissionpolicybinding', NETWORK_POLICY_FALLBACK],
      ['clusterrole', RELEASE],
      ['clusterrolebinding', RELEASE],
    ]) {
      expect((await kubectl(['get', ...gone])).code, gone.join(' ')).not.toBe(0);
    }
  });
});
