import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';
import { chartOpenReportsCrds, renderChart } from './helm.js';

/**
 * The chart's OpenReports options: the CRDs (authored after the published API types) only with
 * openreports.installCRDs, the RBAC and the operator flag only with openreports.enabled.
 */

interface K8sObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  rules?: {
    apiGroups?: string[];
    resources?: string[];
    resourceNames?: string[];
    verbs: string[];
  }[];
}

function parse(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as unknown)
    .filter((object): object is K8sObject => typeof object === 'object' && object !== null);
}

function openReportsRules(objects: readonly K8sObject[]) {
  return objects
    .filter((o) => o.kind === 'ClusterRole')
    .flatMap((o) => o.rules ?? [])
    .filter((rule) => rule.apiGroups?.includes('openreports.io'));
}

function operatorArgs(objects: readonly K8sObject[]): string[] {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const spec = deployment?.spec as
    { template: { spec: { containers: { args?: string[] }[] } } } | undefined;
  return spec?.template.spec.containers[0]?.args ?? [];
}

const CRDS = ['reports.openreports.io', 'clusterreports.openreports.io'];
const NS = 'reports-chart-e2e';

/** A report using every field of the published API, as another producer would write it. */
const foreign = (kind: string, result: string): string => `
apiVersion: openreports.io/v1alpha1
kind: ${kind}
metadata: { name: foreign-${kind.toLowerCase()}${kind === 'Report' ? `, namespace: ${NS}` : ''} }
source: some-scanner
scopeSelector:
  matchLabels: { app: web }
  matchExpressions: [{ key: tier, operator: In, values: [front] }]
configuration: { limits: { maxResults: 10, statusFilter: [fail, warn] } }
summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 }
results:
  - source: some-scanner
    policy: require-labels
    rule: check-team
    category: Best practices
    severity: medium
    timestamp: { seconds: 1767225600, nanos: 0 }
    result: ${result}
    scored: true
    resources: [{ apiVersion: v1, kind: Pod, namespace: ${NS}, name: web-1, uid: 0b6f, fieldPath: spec }]
    resourceSelector: { matchLabels: { app: web } }
    message: The team label is missing.
    properties: { team: '' }
`;

describe('the chart’s OpenReports options', () => {
  afterAll(async () => {
    await kubectl(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']);
    await kubectl(['delete', 'crd', ...CRDS, '--ignore-not-found', '--wait=false']);
  });

  it('renders neither CRDs, RBAC nor --reports by default', async () => {
    const objects = parse(await renderChart([]));
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    expect(openReportsRules(objects)).toEqual([]);
    expect(operatorArgs(objects)).not.toContain('--reports');
  });

  it('with openreports.enabled: --reports, and RBAC on oos’s two report names only', async () => {
    const objects = parse(await renderChart(['--set', 'openreports.enabled=true']));
    expect(operatorArgs(objects)).toContain('--reports');
    expect(openReportsRules(objects)).toEqual([
      {
        apiGroups: ['openreports.io'],
        resources: ['reports', 'clusterreports'],
        verbs: ['list', 'create'],
      },
      {
        apiGroups: ['openreports.io'],
        resources: ['reports', 'clusterreports'],
        resourceNames: ['oos-accountability', 'oos-accountable-roles'],
        verbs: ['update', 'delete'],
      },
    ]);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
  });

  it('with openreports.installCRDs: both CRDs, kept on uninstall, without oos’s labels', async () => {
    const crds = parse(await chartOpenReportsCrds());
    expect(crds.map((o) => [o.kind, o.metadata.name, o.spec?.scope])).toEqual([
      ['CustomResourceDefinition', 'reports.openreports.io', 'Namespaced'],
      ['CustomResourceDefinition', 'clusterreports.openreports.io', 'Cluster'],
    ]);
    for (const crd of crds) {
      expect(crd.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      // `kubectl delete crd -l app.kubernetes.io/part-of=oos` must not take other tools' reports.
      expect(crd.metadata.labels).toBeUndefined();
    }
  });

  it('installs CRDs the apiserver accepts, which take a report of another producer and refuse an unknown result', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: await chartOpenReportsCrds() });
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd', ...CRDS]);
    await kubectlOk(['create', 'namespace', NS]);
    for (const kind of ['Report', 'ClusterReport']) {
      const accepted = await waitFor(`a ${kind} to be accepted`, async () => {
        const applied = await kubectl(['apply', '-f', '-', '-o', 'json'], {
          stdin: foreign(kind, 'fail'),
        });
        return applied.code === 0
          ? (JSON.parse(applied.stdout) as Record<string, unknown>)
          : undefined;
      });
      // Nothing pruned: every field of the published API is in the schema.
      expect(accepted).toMatchObject({
        scopeSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
        configuration: { limits: { maxResults: 10, statusFilter: ['fail', 'warn'] } },
        results: [
          {
            category: 'Best practices',
            resources: [{ fieldPath: 'spec', uid: '0b6f' }],
            resourceSelector: { matchLabels: { app: 'web' } },
            timestamp: { seconds: 1767225600, nanos: 0 },
          },
        ],
      });
      const refused = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
        stdin: foreign(kind, 'passed'),
      });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('Unsupported value: "passed"');
    }
  });
});
