import { describe, expect, it } from 'vitest';
import { coordinationSchema, type Coordination } from '../../api/index.js';
import { capability } from '../testing/fixtures.js';
import { interactionGraph, type InteractionGraph } from './graph.js';

const open: Coordination = coordinationSchema.parse({});

const call = (namespace: string, name: string, ports = [{ port: 8080 }]) => ({
  namespace,
  capability: name,
  ports,
  justification: 'Needs fraud scores.',
});
const accept = (namespace: string, name: string, ports?: { port: number }[]) => ({
  namespace,
  capability: name,
  justification: 'Scores invoices too.',
  ...(ports === undefined ? {} : { ports }),
});

function triage(interactions: object = {}) {
  return capability(
    'invoice-triage',
    {
      accountableRole: 'accounts-payable-lead',
      autonomy: 'Autonomous',
      riskTier: 'Limited',
      interactions,
    },
    'finance',
  );
}
function scoring(interactions: object = {}) {
  return capability(
    'fraud-scoring',
    {
      accountableRole: 'credit-risk-officer',
      autonomy: 'Supervised',
      riskTier: 'High',
      interactions,
    },
    'risk',
  );
}

function entry(graph: InteractionGraph, key: string, direction: string, peer: string) {
  return graph.nodes.get(key)?.entries.find((e) => e.direction === direction && e.peer === peer);
}

describe('interactionGraph', () => {
  it('agrees an edge only when both sides declare it', () => {
    const graph = interactionGraph(
      [
        triage({ calls: [call('risk', 'fraud-scoring')] }),
        scoring({ acceptsFrom: [accept('finance', 'invoice-triage')] }),
      ],
      open,
    );
    expect(graph.edges).toEqual([
      expect.objectContaining({
        caller: 'finance/invoice-triage',
        callee: 'risk/fraud-scoring',
        declaredBy: 'Both',
        state: 'Agreed',
        ports: [{ port: 8080, protocol: 'TCP' }],
      }),
    ]);
    expect(entry(graph, 'finance/invoice-triage', 'Calls', 'risk/fraud-scoring')?.state).toBe(
      'Agreed',
    );
    expect(entry(graph, 'risk/fraud-scoring', 'AcceptsFrom', 'finance/invoice-triage')?.state).toBe(
      'Agreed',
    );
  });

  it('waits for the callee when only the caller declares it, naming the role that must answer', () => {
    const graph = interactionGraph(
      [triage({ calls: [call('risk', 'fraud-scoring')] }), scoring()],
      open,
    );
    const [edge] = graph.edges;
    expect(edge).toMatchObject({
      state: 'WaitingForPeer',
      declaredBy: 'Caller',
      waitingFor: 'risk/fraud-scoring',
      waitingForRole: 'credit-risk-officer',
    });
    expect(edge?.message).toContain('credit-risk-officer');
    expect(graph.nodes.get('risk/fraud-scoring')?.entries).toEqual([]);
  });

  it('waits for the caller when only the callee accepts it', () => {
    const graph = interactionGraph(
      [triage(), scoring({ acceptsFrom: [accept('finance', 'invoice-triage')] })],
      open,
    );
    expect(graph.edges[0]).toMatchObject({
      state: 'WaitingForPeer',
      declaredBy: 'Callee',
      waitingFor: 'finance/invoice-triage',
      waitingForRole: 'accounts-payable-lead',
      ports: [],
    });
    expect(graph.nodes.get('finance/invoice-triage')?.entries).toEqual([]);
  });

  it('does not agree a call on a port the callee does not accept', () => {
    const graph = interactionGraph(
      [
        triage({ calls: [call('risk', 'fraud-scoring', [{ port: 8080 }, { port: 9090 }])] }),
        scoring({ acceptsFrom: [accept('finance', 'invoice-triage', [{ port: 8080 }])] }),
      ],
      open,
    );
    expect(graph.edges[0]?.state).toBe('PortsNotAccepted');
    expect(graph.edges[0]?.message).toContain('9090/TCP');
  });

  it('reports a peer that does not exist, on the side that exists', () => {
    const graph = interactionGraph([triage({ calls: [call('risk', 'nowhere')] })], open);
    expect(entry(graph, 'finance/invoice-triage', 'Calls', 'risk/nowhere')).toMatchObject({
      state: 'PeerNotFound',
    });
    expect(graph.nodes.has('risk/nowhere')).toBe(false);
  });

  it('never agrees a forbidden edge, whoever declares it', () => {
    const coordination = coordinationSchema.parse({
      forbiddenEdges: [
        {
          name: 'no-autonomous-to-high',
          from: { autonomy: ['Autonomous'] },
          to: { riskTiers: ['High'] },
          reason: 'Autonomous agents never drive high-risk decisions.',
        },
      ],
    });
    const graph = interactionGraph(
      [
        triage({ calls: [call('risk', 'fraud-scoring')] }),
        scoring({ acceptsFrom: [accept('finance', 'invoice-triage')] }),
      ],
      coordination,
    );
    expect(graph.edges[0]?.state).toBe('Forbidden');
    expect(graph.edges[0]?.message).toContain('no-autonomous-to-high');
    expect(graph.edges[0]?.message).toContain('Autonomous agents never drive high-risk decisions.');
  });

  it('resolves egress endpoints from the catalogue and applies external rules', () => {
    const coordination = coordinationSchema.parse({
      endpoints: [
        {
          name: 'model-provider',
          description: 'An outside model API.',
          cidrs: ['203.0.113.0/24'],
          ports: [{ port: 443 }],
        },
      ],
      forbiddenEdges: [
        {
          name: 'minimal-stays-inside',
          from: { riskTiers: ['Minimal'] },
          to: { external: true },
          reason: 'No data leaves from minimal-risk tools.',
        },
      ],
    });
    const egress = [
      { name: 'provider', endpoint: 'model-provider', justification: 'Summaries.' },
      {
        name: 'partner',
        cidrs: ['198.51.100.0/24'],
        ports: [{ port: 8443 }],
        justification: 'Partner API.',
      },
      { name: 'gone', endpoint: 'not-in-catalogue', justification: 'Old.' },
    ];
    const graph = interactionGraph([triage({ egress })], coordination);
    expect(entry(graph, 'finance/invoice-triage', 'Egress', 'provider')).toMatchObject({
      state: 'Agreed',
      cidrs: ['203.0.113.0/24'],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
    expect(entry(graph, 'finance/invoice-triage', 'Egress', 'partner')?.state).toBe('Agreed');
    expect(entry(graph, 'finance/invoice-triage', 'Egress', 'gone')?.state).toBe('PeerNotFound');

    const minimal = capability(
      'faq-bot',
      { riskTier: 'Minimal', interactions: { egress: egress.slice(0, 1) } },
      'support',
    );
    expect(
      interactionGraph([minimal], coordination).nodes.get('support/faq-bot')?.entries[0],
    ).toMatchObject({
      state: 'Forbidden',
    });
  });

  it('closes a capability when the policy or the capability says so, never opens it', () => {
    const closed = coordinationSchema.parse({ posture: 'Closed' });
    expect(interactionGraph([triage()], open).nodes.get('finance/invoice-triage')?.posture).toBe(
      'Open',
    );
    expect(interactionGraph([triage()], closed).nodes.get('finance/invoice-triage')?.posture).toBe(
      'Closed',
    );
    expect(
      interactionGraph([triage({ posture: 'Closed' })], open).nodes.get('finance/invoice-triage')
        ?.posture,
    ).toBe('Closed');
    expect(
      interactionGraph([triage({ posture: 'Open' })], closed).nodes.get('finance/invoice-triage')
        ?.posture,
    ).toBe('Closed');
  });

  it('lists each edge once, in a stable order, whatever the input order', () => {
    const caps = [
      triage({ calls: [call('risk', 'fraud-scoring')] }),
      scoring({ acceptsFrom: [accept('finance', 'invoice-triage'), accept('finance', 'other')] }),
    ];
    const one = interactionGraph(caps, open);
    const two = interactionGraph([...caps].reverse(), open);
    expect(one.edges).toEqual(two.edges);
    expect(one.edgesOf.get('risk/fraud-scoring')).toEqual(one.edges);
    expect(one.edgesOf.get('finance/invoice-triage')).toEqual([one.edges[0]]);
    expect(one.edgesOf.has('finance/nobody')).toBe(false);
    expect(one.edges.map((e) => `${e.caller}>${e.callee}`)).toEqual([
      'finance/invoice-triage>risk/fraud-scoring',
      'finance/other>risk/fraud-scoring',
    ]);
  });
});
