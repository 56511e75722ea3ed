import type {
  Accept,
  Call,
  Capability,
  Client,
  Coordination,
  Endpoint,
  Egress,
  InteractionDirection,
  InteractionState,
  Port,
  Posture,
} from '../../api/index.js';
import { describeTraits, forbiddenBy, forbiddenMessage, type ClassTraits } from './classes.js';
import { portsNotAccepted, portText, sortedPorts } from './ports.js';
import { effectivePosture } from './posture.js';
import { objectKey } from '../snapshot.js';
import { compareText } from '../text.js';

/**
 * The interaction graph of the cluster: every declared interaction of every capability, how it
 * stands, and the edges between capabilities. Pure and built once per call, O(capabilities +
 * declared interactions): every lookup is by key.
 */

/** One declared interaction of one capability, as its status shows it. */
export interface InteractionEntry {
  readonly direction: InteractionDirection;
  /** `namespace/name` of the other capability, or the egress entry's name. */
  readonly peer: string;
  readonly state: InteractionState;
  readonly message: string;
  /** The ports the interaction uses (a call's ports; an egress's, or its endpoint's). */
  readonly ports: readonly Port[];
  /** Egress only: the destination ranges (the entry's, or its endpoint's). */
  readonly cidrs?: readonly string[];
}

/** A capability as the graph sees it. */
export interface CapabilityNode {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly accountableRole: string;
  readonly traits: ClassTraits;
  readonly posture: Posture;
  readonly entries: readonly InteractionEntry[];
  /** The workloads that are not AI allowed to call it (`interactions.clients`). */
  readonly clients: readonly Client[];
}

/** Who declared an edge between two capabilities. */
export type DeclaredBy = 'Caller' | 'Callee' | 'Both';

/** An edge from a caller to a callee, declared by at least one of them. */
export interface InteractionEdge {
  /** `namespace/name` of each side. */
  readonly caller: string;
  readonly callee: string;
  readonly declaredBy: DeclaredBy;
  readonly state: InteractionState;
  readonly message: string;
  /** The ports of the call (empty when only the callee declared it). */
  readonly ports: readonly Port[];
  /**
   * The AccountableRole that must answer for the edge to be agreed (the side that has not declared
   * it, or the callee that accepts other ports); undefined when agreed, forbidden or not found.
   */
  readonly waitingForRole?: string;
  /** `namespace/name` of the side that must answer, like {@link waitingForRole}. */
  readonly waitingFor?: string;
}

export interface InteractionGraph {
  /** Every capability by `namespace/name`. */
  readonly nodes: ReadonlyMap<string, CapabilityNode>;
  /** Every edge between capabilities, once, in a stable order (by caller, then callee). */
  readonly edges: readonly InteractionEdge[];
  /** The edges each capability (`namespace/name`) is the caller or the callee of, in that order. */
  readonly edgesOf: ReadonlyMap<string, readonly InteractionEdge[]>;
}

function capabilityKey(capability: Capability): string {
  return objectKey(capability.metadata.namespace ?? '', capability.metadata.name ?? '');
}

function traitsOf(capability: Capability): ClassTraits {
  return { autonomy: capability.spec.autonomy, riskTier: capability.spec.riskTier };
}

interface Side {
  readonly key: string;
  readonly capability: Capability | undefined;
}

/** How the edge between a caller and a callee stands, from what each side declares. */
function edgeBetween(
  caller: Side,
  callee: Side,
  call: Call | undefined,
  accept: Accept | undefined,
  coordination: Coordination,
): InteractionEdge {
  const declaredBy: DeclaredBy =
    call !== undefined && accept !== undefined ? 'Both' : call !== undefined ? 'Caller' : 'Callee';
  const ports = sortedPorts(call?.ports ?? []);
  const base = { caller: caller.key, callee: callee.key, declaredBy, ports };
  const missing =
    caller.capability === undefined ? caller : callee.capability === undefined ? callee : undefined;
  if (caller.capability === undefined || callee.capability === undefined) {
    return {
      ...base,
      state: 'PeerNotFound',
      message: `no Capability ${missing?.key ?? ''}: the edge from ${caller.key} to ${callee.key} cannot be agreed until it exists`,
    };
  }
  const rule = forbiddenBy(coordination, traitsOf(caller.capability), traitsOf(callee.capability));
  if (rule !== undefined) {
    return {
      ...base,
      state: 'Forbidden',
      message: forbiddenMessage(
        rule,
        `${caller.key} (${describeTraits(traitsOf(caller.capability))}) calling ${callee.key} (${describeTraits(traitsOf(callee.capability))})`,
      ),
    };
  }
  if (call === undefined) {
    const role = caller.capability.spec.accountableRole;
    return {
      ...base,
      state: 'WaitingForPeer',
      message: `${callee.key} accepts calls from ${caller.key}, which does not declare the call: waiting for a holder of AccountableRole ${role} to add it to ${caller.key}'s interactions.calls`,
      waitingForRole: role,
      waitingFor: caller.key,
    };
  }
  const role = callee.capability.spec.accountableRole;
  if (accept === undefined) {
    return {
      ...base,
      state: 'WaitingForPeer',
      message: `${caller.key} calls ${callee.key}, which does not accept it: waiting for a holder of AccountableRole ${role} to add ${caller.key} to ${callee.key}'s interactions.acceptsFrom`,
      waitingForRole: role,
      waitingFor: callee.key,
    };
  }
  const refused = portsNotAccepted(call.ports, accept.ports);
  if (refused.length > 0) {
    return {
      ...base,
      state: 'PortsNotAccepted',
      message: `${callee.key} accepts calls from ${caller.key} on ${(accept.ports ?? []).map(portText).join(', ')} only, not ${refused.map(portText).join(', ')}: one of the two roles must change its side`,
      waitingForRole: role,
      waitingFor: callee.key,
    };
  }
  return {
    ...base,
    state: 'Agreed',
    message: `agreed by both sides on ${ports.map(portText).join(', ')}`,
  };
}

/** How one egress entry stands: its endpoint resolved from the catalogue, and the forbidden classes. */
function egressEntry(
  capability: Capability,
  egress: Egress,
  endpoints: ReadonlyMap<string, Endpoint>,
  coordination: Coordination,
): InteractionEntry {
  const endpoint = egress.endpoint === undefined ? undefined : endpoints.get(egress.endpoint);
  const base = { direction: 'Egress' as const, peer: egress.name };
  if (egress.endpoint !== undefined && endpoint === undefined) {
    return {
      ...base,
      state: 'PeerNotFound',
      message: `endpoint ${egress.endpoint} is not in the GovernancePolicy's coordination.endpoints catalogue`,
      ports: [],
      cidrs: [],
    };
  }
  const ports = sortedPorts(endpoint?.ports ?? egress.ports ?? []);
  const cidrs = [...(endpoint?.cidrs ?? egress.cidrs ?? [])].sort();
  const rule = forbiddenBy(coordination, traitsOf(capability), 'external');
  if (rule !== undefined) {
    return {
      ...base,
      state: 'Forbidden',
      message: forbiddenMessage(
        rule,
        `${capabilityKey(capability)} (${describeTraits(traitsOf(capability))}) reaching ${egress.name} outside the cluster`,
      ),
      ports,
      cidrs,
    };
  }
  return {
    ...base,
    state: 'Agreed',
    message: `declared by ${capabilityKey(capability)}'s role: ${cidrs.join(', ')} on ${ports.map(portText).join(', ')}`,
    ports,
    cidrs,
  };
}

function entryOf(edge: InteractionEdge, direction: 'Calls' | 'AcceptsFrom'): InteractionEntry {
  return {
    direction,
    peer: direction === 'Calls' ? edge.callee : edge.caller,
    state: edge.state,
    message: edge.message,
    ports: edge.ports,
  };
}

/**
 * The graph of every capability's interactions under the policy's coordination settings. An edge
 * is Agreed only when the caller's `calls` and the callee's `acceptsFrom` both name it, the callee
 * accepts the caller's ports, both capabilities exist and no forbiddenEdges rule covers it.
 */
export function interactionGraph(
  capabilities: Iterable<Capability>,
  coordination: Coordination,
): InteractionGraph {
  const byKey = new Map<string, Capability>();
  for (const capability of capabilities) byKey.set(capabilityKey(capability), capability);
  const endpoints = new Map((coordination.endpoints ?? []).map((e) => [e.name, e] as const));

  // One record per (caller, callee) pair, from both sides' declarations.
  const pairs = new Map<string, { caller: string; callee: string; call?: Call; accept?: Accept }>();
  const pair = (caller: string, callee: string) => {
    const key = `${caller} ${callee}`;
    let record = pairs.get(key);
    if (record === undefined) {
      record = { caller, callee };
      pairs.set(key, record);
    }
    return record;
  };
  for (const [key, capability] of byKey) {
    for (const call of capability.spec.interactions?.calls ?? []) {
      pair(key, objectKey(call.namespace, call.capability)).call = call;
    }
    for (const accept of capability.spec.interactions?.acceptsFrom ?? []) {
      pair(objectKey(accept.namespace, accept.capability), key).accept = accept;
    }
  }

  const edges = [...pairs.values()]
    .map((record) =>
      edgeBetween(
        { key: record.caller, capability: byKey.get(record.caller) },
        { key: record.callee, capability: byKey.get(record.callee) },
        record.call,
        record.accept,
        coordination,
      ),
    )
    .sort((a, b) => compareText(a.caller, b.caller) || compareText(a.callee, b.callee));

  const entries = new Map<string, InteractionEntry[]>();
  const add = (key: string, entry: InteractionEntry) => {
    if (!byKey.has(key)) return;
    const list = entries.get(key);
    if (list === undefined) entries.set(key, [entry]);
    else list.push(entry);
  };
  const edgesOf = new Map<string, InteractionEdge[]>();
  for (const edge of edges) {
    if (edge.declaredBy !== 'Callee') add(edge.caller, entryOf(edge, 'Calls'));
    if (edge.declaredBy !== 'Caller') add(edge.callee, entryOf(edge, 'AcceptsFrom'));
    for (const end of edge.caller === edge.callee ? [edge.caller] : [edge.caller, edge.callee]) {
      const list = edgesOf.get(end);
      if (list === undefined) edgesOf.set(end, [edge]);
      else list.push(edge);
    }
  }

  const nodes = new Map<string, CapabilityNode>();
  for (const [key, capability] of byKey) {
    const own = entries.get(key) ?? [];
    for (const egress of capability.spec.interactions?.egress ?? []) {
      own.push(egressEntry(capability, egress, endpoints, coordination));
    }
    nodes.set(key, {
      key,
      namespace: capability.metadata.namespace ?? '',
      name: capability.metadata.name ?? '',
      accountableRole: capability.spec.accountableRole,
      traits: traitsOf(capability),
      posture: effectivePosture(capability, coordination),
      entries: own,
      clients: capability.spec.interactions?.clients ?? [],
    });
  }
  return { nodes, edges, edgesOf };
}
