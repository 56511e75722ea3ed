import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/index.js';
import { buildSnapshot, type GovernanceObjects } from '../snapshot.js';
import {
  capability,
  governance,
  holder,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  role,
  withSpec,
} from '../testing/fixtures.js';
import { buildRegister } from './build.js';
import { chainView } from './chain.js';
import { filterRegister } from './filter.js';
import { layoutGraph } from './graph-layout.js';
import { capabilityRef } from './links.js';

const port = (number: number) => ({ port: number, protocol: 'TCP' as const });
const because = 'Needed to do the job.';

function withInteractions(base: Capability, interactions: object): Capability {
  return withSpec(base, { interactions });
}

/**
 * The fixture organisation (ml/chat-assistant and ml/forecasting answered for by
 * model-risk-officer, held by alice) with a fraud capability in risk and:
 * chat-assistant -> fraud agreed; forecasting -> fraud declared by the caller only; an
 * autonomous agent -> fraud forbidden; forecasting -> a capability that does not exist; egress to
 * a catalogue endpoint, to address ranges and to an endpoint missing from the catalogue.
 */
function organisation(): GovernanceObjects {
  const base = governance();
  return {
    ...base,
    roles: [...(base.roles ?? []), role('fraud-lead', [holder('erin')])],
    capabilities: [
      withInteractions(capability(), {
        calls: [
          { namespace: 'risk', capability: 'fraud', ports: [port(8080)], justification: because },
        ],
        egress: [
          {
            name: 'weather',
            cidrs: ['203.0.113.0/24'],
            ports: [port(443)],
            justification: because,
          },
        ],
      }),
      withInteractions(
        capability('forecasting', { riskTier: 'Minimal', delegationRequired: false }),
        {
          calls: [
            { namespace: 'risk', capability: 'fraud', ports: [port(8080)], justification: because },
            { namespace: 'ml', capability: 'ghost', ports: [port(80)], justification: because },
          ],
          egress: [{ name: 'nowhere', endpoint: 'nowhere', justification: because }],
        },
      ),
      withInteractions(capability('agent', { autonomy: 'Autonomous', riskTier: 'Minimal' }), {
        calls: [
          { namespace: 'risk', capability: 'fraud', ports: [port(8080)], justification: because },
        ],
      }),
      capability('lonely', { riskTier: 'Minimal' }),
      withInteractions(
        capability('fraud', { accountableRole: 'fraud-lead', riskTier: 'High' }, 'risk'),
        {
          acceptsFrom: [
            { namespace: 'ml', capability: 'chat-assistant', justification: because },
            { namespace: 'ml', capability: 'agent', justification: because },
          ],
          egress: [{ name: 'model', endpoint: 'model-provider', justification: because }],
        },
      ),
    ],
    policies: [
      policy({
        coordination: {
          endpoints: [
            {
              name: 'model-provider',
              description: 'An outside model provider.',
              cidrs: ['198.51.100.0/24'],
              ports: [port(443)],
            },
          ],
          forbiddenEdges: [
            {
              name: 'autonomous-to-high',
              from: { autonomy: ['Autonomous'] },
              to: { riskTiers: ['High'] },
              reason: 'An autonomous agent never drives a high-risk model.',
            },
          ],
        },
      }),
    ],
  };
}

function register(objects = organisation()) {
  return buildRegister({
    snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
    objects,
    findings: [],
    now: NOW,
  });
}

describe('the register interaction graph', () => {
  const graph = register().interactions;
  const edge = (from: string, to: string) =>
    graph.edges.find((candidate) => candidate.from === from && candidate.to === to);

  it('has a node per capability with an interaction, per peer not found and per destination', () => {
    expect(graph.nodes.map((node) => [node.key, node.kind, node.outside])).toEqual([
      ['cidrs:203.0.113.0/24', 'External', true],
      ['endpoint:model-provider', 'External', true],
      ['endpoint:nowhere', 'Missing', true],
      ['ml/agent', 'Capability', false],
      ['ml/chat-assistant', 'Capability', false],
      ['ml/forecasting', 'Capability', false],
      ['ml/ghost', 'Missing', false],
      ['risk/fraud', 'Capability', false],
    ]);
    expect(graph.withoutInteractions).toBe(1); // ml/lonely
    const fraud = graph.nodes.find((node) => node.key === 'risk/fraud');
    expect(fraud).toMatchObject({
      namespace: 'risk',
      name: 'fraud',
      riskTier: 'High',
      autonomy: 'Supervised',
      roles: ['fraud-lead'],
      people: ['erin'],
    });
    expect(fraud?.detail).toContain('fraud-lead');
    // Only the filter fields of its row, nothing more.
    expect(Object.keys(fraud ?? {}).sort()).toEqual([
      'autonomy',
      'detail',
      'key',
      'kind',
      'name',
      'namespace',
      'outside',
      'people',
      'riskTier',
      'roles',
    ]);
    expect(graph.nodes.find((node) => node.key === 'endpoint:model-provider')?.detail).toBe(
      'An outside model provider.',
    );
  });

  it('gives each edge its state, and a pending one the role that must answer', () => {
    expect(edge('ml/chat-assistant', 'risk/fraud')).toMatchObject({
      kind: 'Call',
      state: 'Agreed',
      ports: '8080/TCP',
      mustAnswer: undefined,
    });
    expect(edge('ml/forecasting', 'risk/fraud')).toMatchObject({
      state: 'WaitingForPeer',
      waitingFor: 'risk/fraud',
      mustAnswer: 'fraud-lead',
    });
    expect(edge('ml/forecasting', 'risk/fraud')?.message).toContain('acceptsFrom');
    expect(edge('ml/agent', 'risk/fraud')).toMatchObject({ state: 'Forbidden' });
    expect(edge('ml/agent', 'risk/fraud')?.message).toContain('autonomous-to-high');
    expect(edge('ml/forecasting', 'ml/ghost')).toMatchObject({ state: 'PeerNotFound' });
    expect(edge('risk/fraud', 'endpoint:model-provider')).toMatchObject({
      kind: 'Egress',
      state: 'Agreed',
      ports: '443/TCP',
    });
    expect(edge('ml/chat-assistant', 'cidrs:203.0.113.0/24')).toMatchObject({ state: 'Agreed' });
    expect(edge('ml/forecasting', 'endpoint:nowhere')).toMatchObject({ state: 'PeerNotFound' });
    expect(graph.edges).toHaveLength(7);
  });

  it('is deterministic, and lays out callers left of callees with the outside last', () => {
    expect(register(organisation()).interactions).toEqual(graph);
    const layout = layoutGraph(graph.nodes, graph.edges);
    const column = (key: string) => layout.slots.get(key)?.column;
    expect(column('ml/chat-assistant')).toBe(0);
    expect(column('risk/fraud')).toBe(1);
    expect(column('endpoint:model-provider')).toBe(2);
    expect(column('cidrs:203.0.113.0/24')).toBe(2);
  });

  it('keeps, under a filter, the edges with a matching capability at either end', () => {
    const erins = filterRegister(register(), { person: 'erin' }).interactions;
    // Erin answers for fraud: every edge to or from it, and the capabilities at their other end.
    expect(erins.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'ml/agent -> risk/fraud',
      'ml/chat-assistant -> risk/fraud',
      'ml/forecasting -> risk/fraud',
      'risk/fraud -> endpoint:model-provider',
    ]);
    expect(erins.nodes.map((node) => node.key)).not.toContain('ml/ghost');
    expect(erins.withoutInteractions).toBe(0);
    const ml = filterRegister(register(), { namespace: 'ml' }).interactions;
    // Every edge but fraud's own egress: it is in namespace risk.
    expect(ml.edges).toHaveLength(6);
    expect(ml.edges.map((e) => e.from)).not.toContain('risk/fraud');
    expect(ml.withoutInteractions).toBe(1);
  });

  it('matches a filter as the capabilities table does: a person stamped on the row too', () => {
    const objects = organisation();
    const suspended = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) =>
        c.metadata.name === 'fraud' ? withSpec(c, { suspend: true, suspendedBy: 'mallory' }) : c,
      ),
    };
    const filtered = filterRegister(register(suspended), { person: 'mallory' });
    expect(filtered.capabilities.map((row) => row.name)).toEqual(['fraud']);
    expect(filtered.interactions.edges).toHaveLength(4);
    expect(filtered.interactions.withoutInteractions).toBe(0);
  });

  it("gives a capability's chain view its own edges, both ways", () => {
    const objects = organisation();
    const input = {
      snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
      objects,
      findings: [],
      now: NOW,
    };
    const view = chainView(input, buildRegister(input), capabilityRef('ml', 'chat-assistant'));
    expect(view?.interactions.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'ml/chat-assistant -> risk/fraud',
      'ml/chat-assistant -> cidrs:203.0.113.0/24',
    ]);
    expect(view?.interactions.nodes.map((node) => node.key)).toEqual([
      'cidrs:203.0.113.0/24',
      'ml/chat-assistant',
      'risk/fraud',
    ]);
  });

  it('is empty when no capability declares an interaction', () => {
    const plain = register(governance()).interactions;
    expect(plain).toEqual({ nodes: [], edges: [], withoutInteractions: 2 });
  });
});
