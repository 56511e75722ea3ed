import type {
  Capability,
  GovernancePolicy,
  InteractionDirection,
  InteractionState,
} from '../api/index.js';
import {
  interactionGraph,
  type InteractionEntry,
  type InteractionGraph,
} from '../engine/coordination/index.js';
import type { GovernanceObjects, ReasonCode } from '../engine/index.js';
import { resolvePolicy } from '../engine/policy.js';
import { objectKey } from '../engine/snapshot.js';

/**
 * `oos check` over the interactions of the Capabilities it is given: the graph of every
 * capability of the manifests and the governance (a manifest's version wins), under the
 * GovernancePolicy among them or the built-in defaults, and what each capability of the manifests
 * is told. Declaring a forbidden edge or an endpoint missing from the catalogue is refused, as
 * admission refuses it (same reason codes); an edge only one side declares, and a peer not found,
 * are warnings naming the role that must answer.
 */

/** The reason codes admission refuses a capability's own interactions with. */
export const INTERACTION_REFUSALS = {
  forbidden: 'InteractionForbidden',
  endpointNotFound: 'EndpointNotFound',
} as const satisfies Record<string, ReasonCode>;

export type InteractionRefusal = (typeof INTERACTION_REFUSALS)[keyof typeof INTERACTION_REFUSALS];

/** One interaction of a capability of the manifests, as `oos check` reports it. */
export interface InteractionFinding {
  readonly direction: InteractionDirection;
  /** `namespace/name` of the other capability, or the name of the egress entry. */
  readonly peer: string;
  readonly state: InteractionState;
  readonly message: string;
  /** The reason admission refuses the capability for it; null when it does not. */
  readonly refusal: InteractionRefusal | null;
}

function refusalOf(entry: InteractionEntry): InteractionRefusal | null {
  if (entry.state === 'Forbidden') return INTERACTION_REFUSALS.forbidden;
  if (entry.direction === 'Egress' && entry.state === 'PeerNotFound') {
    return INTERACTION_REFUSALS.endpointNotFound;
  }
  return null;
}

/** The graph of every capability of the governance and the manifests, and its coordination. */
export function checkGraph(
  governance: GovernanceObjects,
  manifests: {
    readonly capabilities: readonly Capability[];
    readonly policies: readonly GovernancePolicy[];
  },
  operatorNamespace: string | undefined,
): InteractionGraph {
  const capabilities = new Map<string, Capability>();
  for (const capability of [...(governance.capabilities ?? []), ...manifests.capabilities]) {
    const { namespace = '', name = '' } = capability.metadata;
    capabilities.set(objectKey(namespace, name), capability);
  }
  const policy = resolvePolicy(
    [...(governance.policies ?? []), ...manifests.policies],
    operatorNamespace,
  );
  return interactionGraph(capabilities.values(), policy.spec.coordination);
}

/**
 * What the capability `key` is told: each interaction it declares, and each edge another
 * capability declares that waits for this one's role. Agreed ones included (the JSON lists them).
 */
export function interactionFindings(graph: InteractionGraph, key: string): InteractionFinding[] {
  const own = (graph.nodes.get(key)?.entries ?? []).map((entry): InteractionFinding => ({
    direction: entry.direction,
    peer: entry.peer,
    state: entry.state,
    message: entry.message,
    refusal: refusalOf(entry),
  }));
  const awaited = graph.edges
    .filter((edge) => edge.waitingFor === key && edge.declaredBy !== 'Both')
    .map((edge): InteractionFinding => ({
      direction: edge.caller === key ? 'Calls' : 'AcceptsFrom',
      peer: edge.caller === key ? edge.callee : edge.caller,
      state: edge.state,
      message: edge.message,
      refusal: null,
    }));
  return [...own, ...awaited];
}

/** A warning of a finding that is neither agreed nor refused: one sentence, as the engine's. */
export function findingWarning(finding: InteractionFinding): string {
  const sentence = `${finding.state}: ${finding.message}`;
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}
