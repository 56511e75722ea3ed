import { describe, expect, it } from 'vitest';
import { coordinationSchema } from '../../api/index.js';
import { capability } from '../testing/fixtures.js';
import { interactionGraph } from './graph.js';
import { desiredNetworkPolicy } from './network-policy.js';

const closed = coordinationSchema.parse({ posture: 'Closed' });
const justification = 'Needed.';

const triage = (interactions: object) =>
  capability('invoice-triage', { accountableRole: 'ap-lead', interactions }, 'finance');
const scoring = (interactions: object) =>
  capability('fraud-scoring', { accountableRole: 'cro', interactions }, 'risk');

const callScoring = {
  calls: [
    { namespace: 'risk', capability: 'fraud-scoring', ports: [{ port: 8080 }], justification },
  ],
};
const acceptTriage = {
  acceptsFrom: [{ namespace: 'finance', capability: 'invoice-triage', justification }],
};

const dnsRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
  ],
};

describe('desiredNetworkPolicy', () => {
  it('owns nothing for an Open capability', () => {
    const graph = interactionGraph([triage(callScoring)], coordinationSchema.parse({}));
    expect(desiredNetworkPolicy(graph, 'finance/invoice-triage')).toBeUndefined();
    expect(desiredNetworkPolicy(graph, 'finance/unknown')).toBeUndefined();
  });

  it('isolates a Closed capability to DNS while nothing is agreed', () => {
    const graph = interactionGraph([triage(callScoring), scoring({})], closed);
    expect(desiredNetworkPolicy(graph, 'finance/invoice-triage')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'oos-interactions-invoice-triage',
        namespace: 'finance',
        labels: { 'oos.dev/managed-by': 'oos', 'oos.dev/interactions-of': 'invoice-triage' },
      },
      spec: {
        podSelector: { matchLabels: { 'oos.dev/capability': 'invoice-triage' } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [dnsRule],
      },
    });
    expect(desiredNetworkPolicy(graph, 'risk/fraud-scoring')?.spec.ingress).toBeUndefined();
  });

  it('opens an agreed edge on both ends, on the call ports only', () => {
    const graph = interactionGraph([triage(callScoring), scoring(acceptTriage)], closed);
    const callerPods = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'finance' } },
      podSelector: { matchLabels: { 'oos.dev/capability': 'invoice-triage' } },
    };
    const calleePods = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'risk' } },
      podSelector: { matchLabels: { 'oos.dev/capability': 'fraud-scoring' } },
    };
    expect(desiredNetworkPolicy(graph, 'risk/fraud-scoring')?.spec.ingress).toEqual([
      { from: [callerPods], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(desiredNetworkPolicy(graph, 'finance/invoice-triage')?.spec.egress).toEqual([
      dnsRule,
      { to: [calleePods], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it('lets declared clients in but never a capability posing as one', () => {
    const clients = [
      {
        name: 'web',
        namespace: 'finance',
        podSelector: { matchLabels: { app: 'portal' } },
        ports: [{ port: 8080 }],
        justification,
      },
    ];
    const graph = interactionGraph([triage({ clients })], closed);
    expect(desiredNetworkPolicy(graph, 'finance/invoice-triage')?.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'finance' } },
            podSelector: {
              matchLabels: { app: 'portal' },
              matchExpressions: [{ key: 'oos.dev/capability', operator: 'DoesNotExist' }],
            },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('reaches declared destinations, but not forbidden or unknown ones', () => {
    const coordination = coordinationSchema.parse({
      posture: 'Closed',
      endpoints: [
        {
          name: 'provider',
          description: 'Model API.',
          cidrs: ['203.0.113.0/24'],
          ports: [{ port: 443 }],
        },
      ],
    });
    const egress = [
      { name: 'provider', endpoint: 'provider', justification },
      { name: 'missing', endpoint: 'nope', justification },
      {
        name: 'partner',
        cidrs: ['198.51.100.0/24', '192.0.2.0/24'],
        ports: [{ port: 53, protocol: 'UDP' }],
        justification,
      },
    ];
    const graph = interactionGraph([triage({ egress })], coordination);
    expect(desiredNetworkPolicy(graph, 'finance/invoice-triage')?.spec.egress).toEqual([
      dnsRule,
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      {
        to: [{ ipBlock: { cidr: '192.0.2.0/24' } }, { ipBlock: { cidr: '198.51.100.0/24' } }],
        ports: [{ port: 53, protocol: 'UDP' }],
      },
    ]);
    const forbidding = coordinationSchema.parse({
      ...coordination,
      forbiddenEdges: [
        { name: 'inside', from: {}, to: { external: true }, reason: 'Stay inside.' },
      ],
    });
    expect(
      desiredNetworkPolicy(
        interactionGraph([triage({ egress })], forbidding),
        'finance/invoice-triage',
      )?.spec.egress,
    ).toEqual([dnsRule]);
  });
});
