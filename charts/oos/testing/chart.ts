import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runHelm, type HelmResult } from '../../../controlplane/helm-run.js';

/** What the chart tests share: the release they render, the options they try, and a helm runner. */
export const CHART = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CRDS = join(CHART, 'crds');

/** The release under test; its objects are named `oos-chart-*` so they never meet other files'. */
export const RELEASE = 'oos-chart';
export const NS = 'oos-chart-e2e';
export const SA = RELEASE;
export const OPERATOR_USER = `system:serviceaccount:${NS}:${SA}`;
export const SERVICE = `${RELEASE}-webhook`;
export const TLS_SECRET = `${RELEASE}-webhook-tls`;
export const POLICY = `${RELEASE}-require-anchor`;
export const EVIDENCE_POLICY = `${RELEASE}-protect-evidence`;
export const NAMESPACE_POLICY = `${RELEASE}-governed-namespace-labels`;
export const NETWORK_POLICY_FALLBACK = `${RELEASE}-protect-managed-network-policies`;
export const VALIDATING = `${RELEASE}-validating`;
export const MUTATING = `${RELEASE}-mutating`;

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
};

export /** The value at `path` inside `value`, or undefined. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as unknown)
    .filter((object): object is K8sObject => typeof object === 'object' && object !== null);
}

export function only(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  const [first] = found;
  if (first === undefined) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  return first;
}

export const kinds = (objects: readonly K8sObject[]): string[] => objects.map((o) => o.kind).sort();

export const GOVERNANCE_SPEC = {
  enforcement: 'Warn',
  exemptNamespaces: ['kube-system', 'kube-node-lease', 'kube-public', 'sandbox'],
  governanceAdmins: { groups: ['governance-board'] },
  maxDelegation: '30d',
};

/** Every option of the chart the tests render and lint, and the e2e test sends to the apiserver. */
export const OPTIONS = {
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

/** A helm binary with a private home per run (cache, config, data), against `kubeconfig` when given. */
export class Helm {
  constructor(
    private readonly binary: string,
    private readonly kubeconfig?: string,
  ) {}

  /** Runs helm (controlplane/helm-run.ts); never throws on a non-zero exit. */
  run(args: readonly string[]): Promise<HelmResult> {
    return runHelm(this.binary, args, { kubeconfig: this.kubeconfig });
  }

  /** Like {@link run}, but throws with helm's own words when it fails. */
  async ok(args: readonly string[]): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0) {
      throw new Error(`helm ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    }
    return result.stdout;
  }

  /** `helm template` of the chart with `options`, parsed. */
  async render(options: readonly string[] = []): Promise<K8sObject[]> {
    return parseManifests(
      await this.ok(['template', RELEASE, CHART, '--namespace', NS, ...options]),
    );
  }
}
