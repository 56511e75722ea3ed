import { describe, expect, it } from 'vitest';
import type { JsonRecord } from '../../engine/json.js';
import { buildClusterView, type RawCluster } from './view.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const NS = 'ml';

const API = 'oos.dev/v1alpha1';

const role: JsonRecord = {
  apiVersion: API,
  kind: 'AccountableRole',
  metadata: { name: 'ops', uid: 'r1' },
  spec: {
    title: 'Operations Lead',
    responsibilities: ['Risk'],
    holders: [
      {
        name: 'Erin',
        email: 'erin@example.com',
        user: 'erin',
        attestedUntil: '2027-06-01T00:00:00Z',
      },
    ],
  },
};

const capability = (name: string, spec: Record<string, unknown> = {}): JsonRecord => ({
  apiVersion: API,
  kind: 'Capability',
  metadata: { name, namespace: NS, uid: `c-${name}` },
  spec: {
    description: 'Summarises tickets.',
    intendedUse: 'People read the summaries.',
    accountableRole: 'ops',
    autonomy: 'Advisory',
    riskTier: 'Minimal',
    ...spec,
  },
});

const delegation: JsonRecord = {
  apiVersion: API,
  kind: 'Delegation',
  metadata: { name: 'summarizer-bot', namespace: NS, uid: 'd1' },
  spec: {
    capability: 'summarizer',
    serviceAccount: 'bot',
    validUntil: '2026-12-20T00:00:00Z',
    justification: 'The summarizer runs as bot.',
    grantedBy: 'erin',
  },
};

function deployment(name: string, labels: Record<string, string>): JsonRecord {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `w-${name}`, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          serviceAccountName: 'bot',
          containers: [{ name: 'llm', image: 'vllm/vllm-openai:v0.6.3' }],
        },
      },
    },
  };
}

function raw(overrides: Partial<RawCluster> = {}): RawCluster {
  return {
    governance: {
      AccountableRole: [role],
      Capability: [capability('summarizer')],
      Delegation: [delegation],
    },
    workloads: [
      deployment('anchored', { 'oos.dev/capability': 'summarizer' }),
      deployment('stray', {}),
    ],
    namespaces: new Map([[NS, { team: 'ml' }]]),
    devices: {},
    warnings: [],
    ...overrides,
  };
}

describe('buildClusterView', () => {
  it('indexes the governance read from the cluster and audits every workload with the engine', () => {
    const view = buildClusterView(raw(), { operatorNamespace: 'oos-system' }, NOW);
    expect(view.snapshot.capabilities.get(`${NS}/summarizer`)?.capability.spec.autonomy).toBe(
      'Advisory',
    );
    expect(view.snapshot.roles.get('ops')?.holders.map((h) => h.user)).toEqual(['erin']);
    expect(view.objects.delegations?.map((d) => d.metadata.name)).toEqual(['summarizer-bot']);
    const reasons = Object.fromEntries(view.findings.map((f) => [f.workload.name, f.reason]));
    expect(reasons).toEqual({ anchored: 'Anchored', stray: 'AnchorMissing' });
    expect(view.namespaceLabels(NS)).toEqual({ team: 'ml' });
    expect(view.namespaceLabels('elsewhere')).toEqual({});
    expect(view.now).toBe(NOW);
    expect(view.warnings).toEqual([]);
  });

  it('judges at the time it is given: an expired delegation no longer anchors', () => {
    const later = new Date('2027-01-01T00:00:00Z');
    const view = buildClusterView(raw(), {}, later);
    expect(view.findings.find((f) => f.workload.name === 'anchored')?.reason).toBe(
      'DelegationExpired',
    );
  });

  it('leaves out an object its schema refuses, as the operator does, and says so', () => {
    const broken = capability('broken', { autonomy: 'Unbounded' });
    const view = buildClusterView(
      raw({
        governance: { AccountableRole: [role], Capability: [capability('summarizer'), broken] },
      }),
      {},
      NOW,
    );
    expect([...view.snapshot.capabilities.keys()]).toEqual([`${NS}/summarizer`]);
    expect(view.warnings).toHaveLength(1);
    expect(view.warnings[0]).toMatch(
      /^Capability ml\/broken does not match the oos schema \(spec\.autonomy/,
    );
    expect(view.warnings[0]).toMatch(/left out/);
  });

  it('keeps the partial-read warnings of the read and treats kinds not read as empty', () => {
    const warning = 'partial read: you may not list delegations.oos.dev in all namespaces (RBAC)';
    const view = buildClusterView(
      raw({
        governance: { AccountableRole: [role], Capability: [capability('summarizer')] },
        warnings: [warning],
      }),
      {},
      NOW,
    );
    expect(view.warnings).toEqual([warning]);
    expect(view.findings.find((f) => f.workload.name === 'anchored')?.reason).toBe(
      'DelegationMissing',
    );
  });
});
