import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { mutatingConfiguration, validatingConfiguration } from '../../webhooks/registration.js';
import { tokenKubeconfig } from '../../controlplane/kubeconfig.js';
import {
  spawnOperator,
  waitUntilReady,
  type OperatorProcess,
} from '../../controlplane/operator.js';
import { getJson, kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHART = join(REPO, 'charts', 'oos');
const CRDS = join(CHART, 'crds');

/** The release under test; its objects are named `oos-chart-*` so they never meet other files'. */
const RELEASE = 'oos-chart';
const NS = 'oos-chart-e2e';
const SA = RELEASE;
const OPERATOR_USER = `system:serviceaccount:${NS}:${SA}`;
const SERVICE = `${RELEASE}-webhook`;
const TLS_SECRET = `${RELEASE}-webhook-tls`;
const POLICY = `${RELEASE}-require-anchor`;
const EVIDENCE_POLICY = `${RELEASE}-protect-evidence`;
const NAMESPACE_POLICY = `${RELEASE}-governed-namespace-labels`;
const VALIDATING = `${RELEASE}-validating`;
const MUTATING = `${RELEASE}-mutating`;

type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
};

/** The value at `path` inside `value`, or undefined. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const helmHome = mkdtempSync(join(tmpdir(), 'oos-chart-e2e-helm-'));

/** Runs the helm built with the control plane against it; never throws on a non-zero exit. */
function helm(args: readonly string[]): Promise<KubectlResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      inject('helm'),
      [...args, '--kubeconfig', inject('kubeconfig')],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
        env: {
          ...process.env,
          HELM_CACHE_HOME: join(helmHome, 'cache'),
          HELM_CONFIG_HOME: join(helmHome, 'config'),
          HELM_DATA_HOME: join(helmHome, 'data'),
        },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`helm could not run: ${error.message}`));
          return;
        }
        resolvePromise({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

async function helmOk(args: readonly string[]): Promise<string> {
  const result = await helm(args);
  if (result.code !== 0) {
    throw new Error(`helm ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as unknown)
    .filter((object): object is K8sObject => typeof object === 'object' && object !== null);
}

/** `helm template` of the chart with `options`, parsed. */
async function render(options: readonly string[] = []): Promise<K8sObject[]> {
  return parseManifests(await helmOk(['template', RELEASE, CHART, '--namespace', NS, ...options]));
}

function only(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  const [first] = found;
  if (first === undefined) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  return first;
}

const kinds = (objects: readonly K8sObject[]): string[] => objects.map((o) => o.kind).sort();

const GOVERNANCE_SPEC = {
  enforcement: 'Warn',
  exemptNamespaces: ['kube-system', 'kube-node-lease', 'kube-public', 'sandbox'],
  governanceAdmins: { groups: ['governance-board'] },
  maxDelegation: '30d',
};

/** Every option of the chart the e2e renders, lints and sends to the apiserver. */
const OPTIONS = {
  'default values': [],
  'certManager.enabled': ['--set', 'certManager.enabled=true'],
  'certManager.enabled with an issuerRef': [
    '--set',
    'certManager.enabled=true',
    '--set',
    'certManager.issuerRef.name=corp-ca',
    '--set',
    'certManager.issuerRef.kind=ClusterIssuer',
  ],
  'metrics.serviceMonitor.enabled': [
    '--set',
    'metrics.serviceMonitor.enabled=true',
    '--set',
    'metrics.serviceMonitor.labels.release=prometheus',
  ],
  'governancePolicy.create': [
    '--set',
    'governancePolicy.create=true',
    '--set-json',
    `governancePolicy.spec=${JSON.stringify(GOVERNANCE_SPEC)}`,
  ],
  'fallbackPolicy.enabled=false': ['--set', 'fallbackPolicy.enabled=false'],
  'metrics.prometheusRule.enabled and metrics.grafanaDashboard.enabled': [
    '--set',
    'metrics.prometheusRule.enabled=true',
    '--set',
    'metrics.prometheusRule.labels.release=prometheus',
    '--set',
    'metrics.grafanaDashboard.enabled=true',
  ],
  'replicaCount=3': ['--set', 'replicaCount=3'],
} as const satisfies Record<string, readonly string[]>;

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
  await helm(['uninstall', RELEASE, '--namespace', NS, '--wait', '--timeout', '60s']);
  await kubectl([
    'delete',
    'validatingadmissionpolicybinding,validatingadmissionpolicy',
    POLICY,
    EVIDENCE_POLICY,
    NAMESPACE_POLICY,
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
  rmSync(helmHome, { recursive: true, force: true });
});

describe('the oos Helm chart: lint and render', () => {
  it.each(Object.entries(OPTIONS))(
    'passes `helm lint --strict` with %s',
    async (_name, options) => {
      const out = await helmOk(['lint', '--strict', CHART, '--namespace', NS, ...options]);
      expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
    },
  );

  it('renders a hardened operator Deployment with the default values', async () => {
    const objects = await render();
    expect(kinds(objects)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'MutatingWebhookConfiguration',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingAdmissionPolicyBinding',
      'ValidatingWebhookConfiguration',
    ]);
    const deployment = only(objects, 'Deployment');
    const pod = at(deployment, 'spec', 'template', 'spec');
    const container = at(pod, 'containers', 0);
    expect(at(deployment, 'spec', 'replicas')).toBe(2);
    expect(at(deployment, 'spec', 'strategy', 'rollingUpdate')).toEqual({
      maxUnavailable: 0,
      maxSurge: 1,
    });
    expect(at(pod, 'affinity', 'podAntiAffinity')).toBeDefined();
    expect(at(pod, 'serviceAccountName')).toBe(SA);
    expect(at(pod, 'securityContext')).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(at(container, 'securityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(at(container, 'readinessProbe', 'httpGet')).toEqual({
      path: '/readyz',
      port: 'https',
      scheme: 'HTTPS',
    });
    expect(at(container, 'livenessProbe', 'httpGet')).toEqual({
      path: '/healthz',
      port: 'https',
      scheme: 'HTTPS',
    });
    const delay = at(container, 'lifecycle', 'preStop', 'sleep', 'seconds') as number;
    expect(delay).toBeGreaterThan(0);
    expect(at(pod, 'terminationGracePeriodSeconds') as number).toBeGreaterThan(delay);
    expect(typeof at(container, 'resources', 'requests', 'cpu')).toBe('string');
    expect(at(container, 'resources', 'limits', 'cpu')).toBeUndefined();
    expect(at(container, 'ports')).toEqual([
      { name: 'https', containerPort: 8443, protocol: 'TCP' },
    ]);
    expect(at(container, 'args')).toEqual(
      expect.arrayContaining([
        `--namespace=${NS}`,
        `--service-name=${SERVICE}`,
        `--webhook-name=${RELEASE}`,
        `--operator-user=${OPERATOR_USER}`,
        `--tls-secret=${TLS_SECRET}`,
        '--no-register-webhooks',
      ]),
    );
    expect(JSON.stringify(at(container, 'args'))).not.toContain('--tls-cert-file');

    const service = only(objects, 'Service');
    expect(at(service, 'metadata', 'name')).toBe(SERVICE);
    expect(at(service, 'spec', 'ports')).toEqual([
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ]);
    expect(at(only(objects, 'PodDisruptionBudget'), 'spec', 'maxUnavailable')).toBe(1);
  });

  it('renders the webhook configurations exactly as webhooks/registration.ts would', async () => {
    const objects = await render();
    const options = {
      name: RELEASE,
      target: { service: { namespace: NS, name: SERVICE, port: 443 } },
      caBundle: '',
      operatorNamespace: NS,
      operatorUser: OPERATOR_USER,
    };
    const withoutCa = (webhooks: unknown): unknown =>
      (webhooks as Record<string, Record<string, unknown>>[]).map((webhook) => {
        const clientConfig = { ...webhook.clientConfig };
        delete clientConfig.caBundle;
        return { ...webhook, clientConfig };
      });
    for (const [kind, expected] of [
      ['ValidatingWebhookConfiguration', validatingConfiguration(options)],
      ['MutatingWebhookConfiguration', mutatingConfiguration(options)],
    ] as const) {
      const rendered = only(objects, kind);
      expect(rendered.metadata.name).toBe(at(expected, 'metadata', 'name'));
      expect(withoutCa(rendered.webhooks)).toEqual(withoutCa(expected.webhooks));
    }
  });

  it('renders least-privilege RBAC: no wildcards, names where Kubernetes allows them', async () => {
    const objects = await render();
    const clusterRules = at(only(objects, 'ClusterRole'), 'rules') as Record<string, string[]>[];
    const namespacedRules = at(only(objects, 'Role'), 'rules') as Record<string, string[]>[];
    expect(JSON.stringify([clusterRules, namespacedRules])).not.toContain('"*"');
    const rulesFor = (rules: Record<string, string[]>[], resource: string) =>
      rules.filter((r) => r.resources?.includes(resource));
    expect(rulesFor(clusterRules, 'validatingwebhookconfigurations')).toEqual([
      expect.objectContaining({ resourceNames: [VALIDATING], verbs: ['get', 'patch'] }),
    ]);
    expect(rulesFor(clusterRules, 'mutatingwebhookconfigurations')).toEqual([
      expect.objectContaining({ resourceNames: [MUTATING], verbs: ['get', 'patch'] }),
    ]);
    expect(rulesFor(clusterRules, 'secrets')).toEqual([]);
    expect(rulesFor(namespacedRules, 'secrets')).toEqual([
      expect.objectContaining({ verbs: ['create'] }),
      expect.objectContaining({ resourceNames: [TLS_SECRET], verbs: ['get', 'update'] }),
    ]);
    expect(rulesFor(namespacedRules, 'leases')).toHaveLength(1);
    expect(rulesFor(clusterRules, 'deployments/scale')[0]?.verbs).toEqual(['update', 'patch']);
    expect(rulesFor(clusterRules, 'escalations').flatMap((r) => r.verbs)).toEqual(
      expect.arrayContaining(['list', 'watch', 'create', 'update', 'patch', 'delete']),
    );
  });

  it('renders cert-manager certificates, mounted and injected, with certManager.enabled', async () => {
    const objects = await render(OPTIONS['certManager.enabled']);
    expect(objects.filter((o) => o.kind === 'Issuer')).toHaveLength(2);
    const certificate = only(objects, 'Certificate', SERVICE);
    expect(at(certificate, 'spec', 'secretName')).toBe(TLS_SECRET);
    expect(at(certificate, 'spec', 'dnsNames')).toEqual([
      `${SERVICE}.${NS}.svc`,
      `${SERVICE}.${NS}.svc.cluster.local`,
    ]);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      expect(at(only(objects, kind), 'metadata', 'annotations')).toEqual({
        'cert-manager.io/inject-ca-from': `${NS}/${SERVICE}`,
      });
    }
    const pod = at(only(objects, 'Deployment'), 'spec', 'template', 'spec');
    expect(at(pod, 'containers', 0, 'args')).toEqual(
      expect.arrayContaining([
        '--tls-cert-file=/etc/oos/tls/tls.crt',
        '--tls-key-file=/etc/oos/tls/tls.key',
        '--no-register-webhooks',
      ]),
    );
    expect(at(pod, 'volumes')).toContainEqual({ name: 'tls', secret: { secretName: TLS_SECRET } });
    // cert-manager publishes the CA: the operator needs neither Secrets nor the configurations.
    const rules = JSON.stringify([
      at(only(objects, 'ClusterRole'), 'rules'),
      at(only(objects, 'Role'), 'rules'),
    ]);
    expect(rules).not.toContain('secrets');
    expect(rules).not.toContain('webhookconfigurations');

    const issued = await render(OPTIONS['certManager.enabled with an issuerRef']);
    expect(issued.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(at(only(issued, 'Certificate'), 'spec', 'issuerRef')).toEqual({
      name: 'corp-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
  });

  it('renders a ServiceMonitor that scrapes /metrics over HTTPS, verified with the CA', async () => {
    const monitor = only(await render(OPTIONS['metrics.serviceMonitor.enabled']), 'ServiceMonitor');
    expect(at(monitor, 'metadata', 'labels', 'release')).toBe('prometheus');
    expect(at(monitor, 'spec', 'endpoints', 0)).toMatchObject({
      port: 'https',
      scheme: 'https',
      path: '/metrics',
      tlsConfig: {
        serverName: `${SERVICE}.${NS}.svc`,
        ca: { secret: { name: TLS_SECRET, key: 'ca.crt' } },
      },
    });
  });

  it('renders files/alerts.yaml as a PrometheusRule and files/dashboard.json as a sidecar ConfigMap', async () => {
    const objects = await render(
      OPTIONS['metrics.prometheusRule.enabled and metrics.grafanaDashboard.enabled'],
    );
    const rule = only(objects, 'PrometheusRule', RELEASE);
    expect(at(rule, 'metadata', 'labels', 'release')).toBe('prometheus');
    expect(rule.spec).toEqual(parse(readFileSync(join(CHART, 'files', 'alerts.yaml'), 'utf8')));
    const dashboard = only(objects, 'ConfigMap', `${RELEASE}-dashboard`);
    expect(at(dashboard, 'metadata', 'namespace')).toBe(NS);
    expect(at(dashboard, 'metadata', 'labels', 'grafana_dashboard')).toBe('1');
    expect(JSON.parse(at(dashboard, 'data', 'oos-accountability.json') as string)).toEqual(
      JSON.parse(readFileSync(join(CHART, 'files', 'dashboard.json'), 'utf8')),
    );

    const wiki = 'https://wiki.example/platform/oos/operations';
    const moved = await render([
      '--set',
      'metrics.prometheusRule.enabled=true',
      '--set',
      `metrics.prometheusRule.runbookBaseUrl=${wiki}`,
      '--set',
      'metrics.grafanaDashboard.enabled=true',
      '--set',
      'metrics.grafanaDashboard.namespace=monitoring',
    ]);
    const groups = at(only(moved, 'PrometheusRule'), 'spec', 'groups') as {
      rules: { alert: string; annotations: { runbook_url: string } }[];
    }[];
    const links = groups.flatMap((g) => g.rules.map((r) => [r.alert, r.annotations.runbook_url]));
    expect(links.length).toBeGreaterThan(0);
    for (const [alert, link] of links) expect(link).toBe(`${wiki}#${alert?.toLowerCase() ?? ''}`);
    expect(at(only(moved, 'ConfigMap'), 'metadata', 'namespace')).toBe('monitoring');
  });

  it('renders the GovernancePolicy from values, and the fallback follows its mode and exemptions', async () => {
    const objects = await render(OPTIONS['governancePolicy.create']);
    const policy = only(objects, 'GovernancePolicy', 'default');
    expect(policy.spec).toEqual(GOVERNANCE_SPEC);
    const binding = only(objects, 'ValidatingAdmissionPolicyBinding', POLICY);
    expect(at(binding, 'spec', 'validationActions')).toEqual(['Warn']);
    expect(
      at(binding, 'spec', 'matchResources', 'namespaceSelector', 'matchExpressions', 0),
    ).toEqual({
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: ['kube-system', 'kube-node-lease', 'kube-public', NS, 'sandbox'],
    });
    const defaults = only(await render(), 'ValidatingAdmissionPolicyBinding', POLICY);
    expect(at(defaults, 'spec', 'validationActions')).toEqual(['Deny']);
  });

  it('renders no fallback policy with fallbackPolicy.enabled=false, and 3 replicas on request', async () => {
    const without = await render(OPTIONS['fallbackPolicy.enabled=false']);
    expect(kinds(without).filter((k) => k.startsWith('ValidatingAdmissionPolicy'))).toEqual([]);
    const three = only(await render(OPTIONS['replicaCount=3']), 'Deployment');
    expect(at(three, 'spec', 'replicas')).toBe(3);
  });

  it('refuses a typo in the values with a schema error', async () => {
    const typo = await helm(['template', RELEASE, CHART, '--set', 'replicaz=3']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("additional properties 'replicaz' not allowed");
    const nested = await helm(['template', RELEASE, CHART, '--set', 'certManager.enable=true']);
    expect(nested.code).not.toBe(0);
    expect(nested.stderr).toContain("additional properties 'enable' not allowed");
  });
});

describe('the rendered manifests on the real apiserver', () => {
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', NS]);
  });

  it.each(Object.entries(OPTIONS))(
    'are accepted by `kubectl apply --dry-run=server` with %s',
    async (_name, options: readonly string[]) => {
      const objects = await render(options);
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
    const policy = await helmOk([
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
    const out = await helmOk([
      'install',
      RELEASE,
      CHART,
      '--namespace',
      NS,
      '--create-namespace',
      ...OPTIONS['governancePolicy.create'],
    ]);
    expect(out).toContain('STATUS: deployed');
    const manifest = parseManifests(await helmOk(['get', 'manifest', RELEASE, '--namespace', NS]));
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
    await helmOk(['upgrade', RELEASE, CHART, '--namespace', NS, '--set', 'replicaCount=3']);
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
    const typo = await helm([
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
    expect((await helm(['status', 'oos-typo', '--namespace', NS])).code).not.toBe(0);
  });

  it('uninstalls every cluster-wide object it created', async () => {
    await helmOk(['uninstall', RELEASE, '--namespace', NS, '--wait', '--timeout', '60s']);
    for (const gone of [
      ['validatingwebhookconfiguration', VALIDATING],
      ['mutatingwebhookconfiguration', MUTATING],
      ['validatingadmissionpolicy', POLICY],
      ['validatingadmissionpolicybinding', POLICY],
      ['validatingadmissionpolicy', EVIDENCE_POLICY],
      ['validatingadmissionpolicybinding', EVIDENCE_POLICY],
      ['validatingadmissionpolicy', NAMESPACE_POLICY],
      ['validatingadmissionpolicybinding', NAMESPACE_POLICY],
      ['clusterrole', RELEASE],
      ['clusterrolebinding', RELEASE],
    ]) {
      expect((await kubectl(['get', ...gone])).code, gone.join(' ')).not.toBe(0);
    }
  });
});
