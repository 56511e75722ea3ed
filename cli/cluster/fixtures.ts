import type { JsonRecord } from '../../engine/json.js';
import type { RawCluster } from './view.js';

/** A small cluster as readCluster reads it, for the unit tests of the pure parts. */

export const NOW = new Date('2026-12-01T00:00:00Z');
export const NS = 'ml';

export const API = 'oos.dev/v1alpha1';

export const role: JsonRecord = {
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

export const capability = (name: string, spec: Record<string, unknown> = {}): JsonRecord => ({
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

export const delegation: JsonRecord = {
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

export function deployment(
  name: string,
  labels: Record<string, string>,
  serviceAccount = 'bot',
): JsonRecord {
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
          serviceAccountName: serviceAccount,
          containers: [{ name: 'llm', image: 'vllm/vllm-openai:v0.6.3' }],
        },
      },
    },
  };
}

export function raw(overrides: Partial<RawCluster> = {}): RawCluster {
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
