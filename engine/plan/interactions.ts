/**
 * The coordination layer's part of a round, pure: the interaction graph (engine/coordination),
 * built once per round and reused while nothing it reads of the capabilities (their
 * interactions, class and role) and no GovernancePolicy coordination changed; each capability's entries for its status; the NetworkPolicy each Closed capability
 * should have; the edges one side has declared and the other not; and the gauge of interactions.
 * Every lookup is by key, each policy is built from the capability's own edges only, so a round
 * costs O(capabilities + interactions), never capabilities × edges.
 */
import {
  parseDuration,
  type Capability,
  type Coordination,
  type InteractionStatus,
} from '../../api/index.js';
import {
  desiredNetworkPolicy,
  interactionGraph,
  type InteractionEdge,
  type InteractionEntry,
  type InteractionGraph,
} from '../coordination/index.js';
import type { PendingInteraction } from '../escalation/interactions.js';
import { sameItems } from '../identity.js';
import { valuesOf } from '../replaced-map.js';
import { objectKey, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';
import { waitingSince } from '../status/interactions.js';
import { LabelCounts } from './metrics.js';
import type { PlannedPolicy, PolicyObject } from './network-policy.js';

export interface InteractionsPlan {
  /**
   * The snapshot's capabilities it was built from, in order: the graph is reused while the next
   * round's are these, or these with some replaced in place by versions the same in what the
   * graph reads ({@link graphInput}: their interactions, class and role), key and uid.
   */
  readonly capabilities: readonly IndexedCapability[];
  readonly coordination: Coordination;
  readonly graph: InteractionGraph;
  /** Per capability (`namespace/name`), its entries as text: what its status reads of the graph. */
  readonly fingerprints: ReadonlyMap<string, string>;
  /** Per namespace, the fingerprints of its capabilities: what its part of the round reads. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** By `namespace/policy name`: the NetworkPolicy of each Closed capability. */
  readonly policies: ReadonlyMap<string, PlannedPolicy>;
  /** The edges declared by one side only (or on ports the callee does not accept). */
  readonly waiting: readonly InteractionEdge[];
  readonly maxPendingMs: number;
  /** Declared interactions by direction and state. */
  readonly counts: LabelCounts;
}

const NO_ENTRIES: readonly InteractionEntry[] = [];

/** A capability's entries in the graph (none when it declares nothing and nobody names it). */
export function entriesOf(plan: InteractionsPlan, key: string): readonly InteractionEntry[] {
  return plan.graph.nodes.get(key)?.entries ?? NO_ENTRIES;
}

/** By Capability spec: the text of what the graph reads of it. */
const GRAPH_INPUTS = new WeakMap<object, string>();

/**
 * What the interaction graph reads of a capability's spec, as text (worked out once per spec
 * object): its interactions, the class forbidden edges are judged by, and the role a waiting edge
 * asks. A spec changed in anything else (a description, a suspension, a delegation rule) leaves
 * the graph as it is.
 */
function graphInput(spec: Capability['spec']): string {
  let text = GRAPH_INPUTS.get(spec);
  if (text === undefined) {
    text = JSON.stringify([
      spec.interactions ?? null,
      spec.autonomy,
      spec.riskTier,
      spec.accountableRole,
    ]);
    GRAPH_INPUTS.set(spec, text);
  }
  return text;
}

/**
 * Whether the graph reads the same of `after` as of `before`: the same capabilities in the same
 * order, each the very same or replaced by a version with the same key, uid and graph input.
 * Compares identities, and reads the graph input of the replaced ones only.
 */
function sameGraphInputs(
  before: readonly IndexedCapability[],
  after: readonly IndexedCapability[],
): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < after.length; i += 1) {
    const was = before[i];
    const now = after[i];
    if (was === now) continue;
    if (was === undefined || now === undefined) return false;
    if (was.namespace !== now.namespace || was.name !== now.name) return false;
    if (was.capability.metadata.uid !== now.capability.metadata.uid) return false;
    if (graphInput(was.capability.spec) !== graphInput(now.capability.spec)) return false;
  }
  return true;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/** The interactions part of a round, reusing `previous` while its inputs are the same. Pure. */
export function planInteractions(
  snapshot: GovernanceSnapshot,
  previous: InteractionsPlan | undefined,
): InteractionsPlan {
  const steps = planInteractionsSteps(snapshot, previous);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * {@link planInteractions} in slices: yields when `tick` says so between capabilities and edges
 * (the graph itself, engine/coordination's, is built in one piece).
 */
export function* planInteractionsSteps(
  snapshot: GovernanceSnapshot,
  previous: InteractionsPlan | undefined,
  tick: () => boolean = () => false,
): Generator<void, InteractionsPlan, void> {
  const coordination = snapshot.policy.spec.coordination;
  const indexed = valuesOf(snapshot.capabilities);
  const same = previous?.coordination === coordination ? previous : undefined;
  if (same !== undefined && sameItems(same.capabilities, indexed)) return same;
  if (same !== undefined && sameGraphInputs(same.capabilities, indexed)) {
    return { ...same, capabilities: indexed };
  }
  const capabilities = indexed.map((c) => c.capability);
  const graph = interactionGraph(capabilities, coordination);

  const fingerprints = new Map<string, string>();
  const namespaces = new Map<string, string[]>();
  const counts = new LabelCounts();
  for (const [key, node] of graph.nodes) {
    const text = JSON.stringify(node.entries.map((e) => [e.direction, e.peer, e.state, e.message]));
    fingerprints.set(key, text);
    push(namespaces, node.namespace, `${node.name}=${text}`);
    for (const entry of node.entries)
      counts.inc({ direction: entry.direction, state: entry.state });
  }

  const waiting: InteractionEdge[] = [];
  for (const edge of graph.edges) {
    if (edge.waitingFor !== undefined) waiting.push(edge);
    if (tick()) yield;
  }
  const policies = new Map<string, PlannedPolicy>();
  const uids = new Map(
    capabilities.map((c) => [
      objectKey(c.metadata.namespace ?? '', c.metadata.name ?? ''),
      c.metadata.uid,
    ]),
  );
  for (const [key, node] of graph.nodes) {
    if (node.posture !== 'Closed') continue;
    const uid = uids.get(key);
    // An object the apiserver never stored (no uid) cannot own anything.
    if (uid === undefined) continue;
    // Built from the capability's own edges (the graph indexes them), so linear in all.
    const desired = desiredNetworkPolicy(graph, key);
    if (desired === undefined) continue;
    policies.set(`${node.namespace}/${desired.metadata.name}`, {
      namespace: node.namespace,
      name: desired.metadata.name,
      owner: { name: node.name, uid },
      desired: desired as unknown as PolicyObject & Readonly<Record<string, unknown>>,
    });
    if (tick()) yield;
  }

  return {
    capabilities: indexed,
    coordination,
    graph,
    fingerprints,
    namespaces: new Map([...namespaces].map(([ns, list]) => [ns, list.join('\n')])),
    policies,
    waiting,
    maxPendingMs: parseDuration(coordination.maxPending),
    counts,
  };
}

/**
 * The edges waiting for an answer, each with the instant its declaring side began to wait: the
 * `since` of the declaring capability's planned status entry (`statusOf`), else `now`.
 */
export function pendingInteractions(
  plan: InteractionsPlan,
  statusOf: (key: string) => readonly InteractionStatus[] | undefined,
  now: number,
): PendingInteraction[] {
  const split = (key: string) => {
    const slash = key.indexOf('/');
    return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
  };
  return plan.waiting.flatMap((edge): PendingInteraction[] => {
    if (edge.waitingFor === undefined) return [];
    // Only the callee declared it: the caller must answer; else the caller waits for the callee.
    const byCallee = edge.declaredBy === 'Callee';
    const declaring = byCallee ? edge.callee : edge.caller;
    const answering = edge.waitingFor;
    if (declaring === answering) return [];
    const direction = byCallee ? 'AcceptsFrom' : 'Calls';
    const peer = byCallee ? edge.caller : edge.callee;
    const since = waitingSince(statusOf(declaring), direction, peer) ?? now;
    return [
      {
        declaredBy: split(declaring),
        answeredBy: split(answering),
        direction,
        since: Math.min(since, now),
      },
    ];
  });
}
