import type { Egress } from '../../api/index.js';
import { interactionGraph, portText, type InteractionEntry } from '../coordination/index.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import type { Filterable, GraphEdgeRow, GraphNodeRow, GraphRows } from './rows.js';
import { compareText } from '../text.js';

/**
 * The filter fields of a capability (`namespace/name`): its row's, so the graph and the
 * capabilities table match the same filter alike.
 */
export type FilterableOf = (key: string) => Filterable | undefined;

const OUTSIDE: Filterable = { namespace: '', roles: [], people: [] };

/** Where an egress entry goes: its catalogue endpoint, else its address ranges. */
function destination(egress: Egress, entry: InteractionEntry): { key: string; name: string } {
  if (egress.endpoint !== undefined) {
    return { key: `endpoint:${egress.endpoint}`, name: egress.endpoint };
  }
  const cidrs = [...(entry.cidrs ?? egress.cidrs ?? [])].sort(compareText).join(', ');
  return { key: `cidrs:${cidrs}`, name: cidrs };
}

/**
 * The register's interaction graph, from engine/coordination's graph over every capability of
 * the snapshot under the policy's coordination settings (never from a status): a node per
 * capability that declares or is named by an interaction, per capability named but not found,
 * and per destination outside the cluster; an edge per call between two capabilities and per
 * egress. O(capabilities + interactions) plus sorting.
 */
export function graphRows(snapshot: GovernanceSnapshot, filterableOf: FilterableOf): GraphRows {
  const coordination = snapshot.policy.spec.coordination;
  const capabilities = [...snapshot.capabilities.values()].map((indexed) => indexed.capability);
  const graph = interactionGraph(capabilities, coordination);
  const endpoints = new Map((coordination.endpoints ?? []).map((e) => [e.name, e]));
  const nodes = new Map<string, GraphNodeRow>();
  const edges: GraphEdgeRow[] = [];

  const capabilityNode = (key: string): void => {
    if (nodes.has(key)) return;
    const node = graph.nodes.get(key);
    if (node === undefined) {
      const [namespace = '', name = key] = key.split('/');
      nodes.set(key, {
        ...OUTSIDE,
        namespace,
        key,
        kind: 'Missing',
        name,
        outside: false,
        riskTier: undefined,
        autonomy: undefined,
        detail: namespace,
      });
      return;
    }
    const role = node.accountableRole;
    const title = snapshot.roles.get(role)?.role.spec.title;
    const row = filterableOf(key);
    nodes.set(key, {
      namespace: node.namespace,
      roles: row?.roles ?? [role],
      people: row?.people ?? [],
      key,
      kind: 'Capability',
      name: node.name,
      outside: false,
      riskTier: node.traits.riskTier,
      autonomy: node.traits.autonomy,
      detail: `answered for by ${title === undefined ? role : `${title} (${role})`}, posture ${node.posture}`,
    });
  };

  for (const edge of graph.edges) {
    capabilityNode(edge.caller);
    capabilityNode(edge.callee);
    edges.push({
      from: edge.caller,
      to: edge.callee,
      kind: 'Call',
      state: edge.state,
      ports: edge.ports.map(portText).join(', '),
      waitingFor: edge.waitingFor,
      mustAnswer: edge.waitingForRole,
      message: edge.message,
    });
  }

  const egressEdges: GraphEdgeRow[] = [];
  for (const [key, node] of graph.nodes) {
    const declared = new Map(
      (snapshot.capabilities.get(key)?.capability.spec.interactions?.egress ?? []).map((e) => [
        e.name,
        e,
      ]),
    );
    for (const entry of node.entries) {
      const egress = entry.direction === 'Egress' ? declared.get(entry.peer) : undefined;
      if (egress === undefined) continue;
      capabilityNode(key);
      const to = destination(egress, entry);
      const endpoint = egress.endpoint === undefined ? undefined : endpoints.get(egress.endpoint);
      if (!nodes.has(to.key)) {
        nodes.set(to.key, {
          ...OUTSIDE,
          key: to.key,
          kind: endpoint === undefined && egress.endpoint !== undefined ? 'Missing' : 'External',
          name: to.name,
          outside: true,
          riskTier: undefined,
          autonomy: undefined,
          detail:
            egress.endpoint === undefined
              ? 'address ranges'
              : (endpoint?.description ?? 'not in the endpoint catalogue'),
        });
      }
      egressEdges.push({
        from: key,
        to: to.key,
        kind: 'Egress',
        state: entry.state,
        ports: entry.ports.map(portText).join(', '),
        waitingFor: undefined,
        mustAnswer: undefined,
        message: entry.message,
      });
    }
  }
  egressEdges.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
  const drawn = [...nodes.values()].sort((a, b) => compareText(a.key, b.key));
  const capabilityNodes = drawn.filter((node) => node.kind === 'Capability').length;
  return {
    nodes: drawn,
    edges: [...edges, ...egressEdges],
    withoutInteractions: snapshot.capabilities.size - capabilityNodes,
  };
}
