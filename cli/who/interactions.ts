import type { InteractionState, Posture } from '../../api/index.js';
import {
  interactionGraph,
  portText,
  type InteractionEdge,
  type InteractionGraph,
} from '../../engine/coordination/index.js';
import type { GovernanceSnapshot } from '../../engine/snapshot.js';

/**
 * `oos who`'s interactions of a workload's capability: whom it calls, who calls it, the clients
 * that are not AI, and where it reaches outside the cluster, each with how it stands now. From
 * engine/coordination's graph over every capability the user can read (as the controller builds
 * it), never from a status.
 */

/** An edge between the capability and another one. */
export interface EdgeReport {
  /** The other capability, `namespace/name`. */
  readonly peer: string;
  /** `8080/TCP` each: the ports of the call (none when only the callee declares it). */
  readonly ports: readonly string[];
  readonly state: InteractionState;
  /** Caller, Callee or Both: who declares it so far. */
  readonly declaredBy: string;
  /** A pending edge: the AccountableRole that must answer, and its capability; else null. */
  readonly mustAnswer: string | null;
  readonly waitingFor: string | null;
  readonly message: string;
}

export interface ClientReport {
  readonly name: string;
  readonly namespace: string;
  /** The client Pods' label selector, as declared. */
  readonly podSelector: unknown;
  readonly ports: readonly string[];
  readonly justification: string;
}

export interface EgressReport {
  readonly name: string;
  /** The catalogue endpoint it names, or null for address ranges. */
  readonly endpoint: string | null;
  readonly cidrs: readonly string[];
  readonly ports: readonly string[];
  readonly state: InteractionState;
  readonly message: string;
}

export interface InteractionsReport {
  /** Closed: only DNS and the agreed edges (NetworkPolicies oos owns). */
  readonly posture: Posture;
  readonly calls: readonly EdgeReport[];
  /** Edges whose callee is this capability, whoever declared them. */
  readonly calledBy: readonly EdgeReport[];
  readonly clients: readonly ClientReport[];
  readonly egress: readonly EgressReport[];
}

/** The graph of every capability of the snapshot, under its policy's coordination settings. */
export function snapshotGraph(snapshot: GovernanceSnapshot): InteractionGraph {
  return interactionGraph(
    [...snapshot.capabilities.values()].map((indexed) => indexed.capability),
    snapshot.policy.spec.coordination,
  );
}

function edgeReport(edge: InteractionEdge, peer: string): EdgeReport {
  return {
    peer,
    ports: edge.ports.map(portText),
    state: edge.state,
    declaredBy: edge.declaredBy,
    mustAnswer: edge.waitingForRole ?? null,
    waitingFor: edge.waitingFor ?? null,
    message: edge.message,
  };
}

/** A pending edge between two capabilities, as `oos mine` lists it for the role that must answer. */
export interface AnsweredEdgeReport extends EdgeReport {
  readonly caller: string;
  readonly callee: string;
}

/** The pending edges that wait for one of `roles` to declare its side, by caller and callee. */
export function awaitingAnswer(
  graph: InteractionGraph,
  roles: ReadonlySet<string>,
): AnsweredEdgeReport[] {
  return graph.edges
    .filter((edge) => edge.waitingForRole !== undefined && roles.has(edge.waitingForRole))
    .map((edge) => ({
      caller: edge.caller,
      callee: edge.callee,
      ...edgeReport(edge, edge.waitingFor === edge.caller ? edge.callee : edge.caller),
    }));
}

/** The interactions of the capability `namespace/name`; null when it does not exist. */
export function interactionsReport(
  graph: InteractionGraph,
  snapshot: GovernanceSnapshot,
  key: string,
): InteractionsReport | null {
  const node = graph.nodes.get(key);
  if (node === undefined) return null;
  const declared = new Map(
    (snapshot.capabilities.get(key)?.capability.spec.interactions?.egress ?? []).map((egress) => [
      egress.name,
      egress,
    ]),
  );
  return {
    posture: node.posture,
    calls: graph.edges
      .filter((edge) => edge.caller === key)
      .map((edge) => edgeReport(edge, edge.callee)),
    calledBy: graph.edges
      .filter((edge) => edge.callee === key)
      .map((edge) => edgeReport(edge, edge.caller)),
    clients: node.clients.map((client) => ({
      name: client.name,
      namespace: client.namespace,
      podSelector: client.podSelector,
      ports: client.ports.map(portText),
      justification: client.justification,
    })),
    egress: node.entries
      .filter((entry) => entry.direction === 'Egress')
      .map((entry) => ({
        name: entry.peer,
        endpoint: declared.get(entry.peer)?.endpoint ?? null,
        cidrs: entry.cidrs ?? [],
        ports: entry.ports.map(portText),
        state: entry.state,
        message: entry.message,
      })),
  };
}
