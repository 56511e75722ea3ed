import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { mutatingConfiguration, validatingConfiguration } from '../../webhooks/registration.js';
import { ensureBinaries } from '../../controlplane/build.js';
import {
  at,
  CHART,
  GOVERNANCE_SPEC,
  Helm,
  kinds,
  MUTATING,
  NS,
  only,
  OPERATOR_USER,
  OPTIONS,
  POLICY,
  RELEASE,
  SA,
  SERVICE,
  TLS_SECRET,
  VALIDATING,
} from './testing/chart.js';

// `helm lint` and `helm template` need no cluster: these run in the unit project, with the helm
// built with the local control plane (found in its cache, or built from source the first time,
// exactly as the e2e setup does).
let helm: Helm;
// Each test runs helm (a second or so, more on a busy machine).
vi.setConfig({ testTimeout: 60_000 });

beforeAll(async () => {
  helm = new Helm((await ensureBinaries()).helm);
}, 30 * 60_000);

describe('the oos Helm chart: lint and render', () => {
  it.each(Object.entries(OPTIONS))(
    'passes `helm lint --strict` with %s',
    async (_name, options) => {
      const out = await helm.ok(['lint', '--strict', CHART, '--namespace', NS, ...options]);
      expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
    },
  );

  it('renders a hardened operator Deployment with the default values', async () => {
    const objects = await helm.render();
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
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
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
    const objects = await helm.render();
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
    const objects = await helm.render();
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
    // The coordination layer: the NetworkPolicies of Closed capabilities, and nothing else of
    // networking.k8s.io.
    expect(clusterRules.filter((r) => r.apiGroups?.includes('networking.k8s.io'))).toEqual([
      {
        apiGroups: ['networking.k8s.io'],
        resources: ['networkpolicies'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
    ]);
  });

  it('renders cert-manager certificates, mounted and injected, with certManager.enabled', async () => {
    const objects = await helm.render(OPTIONS['certManager.enabled']);
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

    const issued = await helm.render(OPTIONS['certManager.enabled with an issuerRef']);
    expect(issued.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(at(only(issued, 'Certificate'), 'spec', 'issuerRef')).toEqual({
      name: 'corp-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
  });

  it('renders a ServiceMonitor that scrapes /metrics over HTTPS, verified with the CA', async () => {
    const monitor = only(
      await helm.render(OPTIONS['metrics.serviceMonitor.enabled']),
      'ServiceMonitor',
    );
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
    const objects = await helm.render(
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
    const moved = await helm.render([
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
    const objects = await helm.render(OPTIONS['governancePolicy.create']);
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
    const defaults = only(await helm.render(), 'ValidatingAdmissionPolicyBinding', POLICY);
    expect(at(defaults, 'spec', 'validationActions')).toEqual(['Deny']);
  });

  it('renders no fallback policy with fallbackPolicy.enabled=false, and 3 replicas on request', async () => {
    const without = await helm.render(OPTIONS['fallbackPolicy.enabled=false']);
    expect(kinds(without).filter((k) => k.startsWith('ValidatingAdmissionPolicy'))).toEqual([]);
    const three = only(await helm.render(OPTIONS['replicaCount=3']), 'Deployment');
    expect(at(three, 'spec', 'replicas')).toBe(3);
  });

  it('refuses a typo in the values with a schema error', async () => {
    const typo = await helm.run(['template', RELEASE, CHART, '--set', 'replicaz=3']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("additional properties 'replicaz' not allowed");
    const nested = await helm.run(['template', RELEASE, CHART, '--set', 'certManager.enable=true']);
    expect(nested.code).not.toBe(0);
    expect(nested.stderr).toContain("additional properties 'enable' not allowed");
  });
});
