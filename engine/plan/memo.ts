/**
 * What lets a round reuse the previous round's work: per namespace, the identities of every input
 * its findings, statuses and causes are computed from. The cache hands out the same parsed object
 * while an object is unchanged, and the same `spec` object while nothing but its status changed
 * (the status is the controller's output, never an input of anything but that object's own
 * status), so each governance object counts by its `spec`: a namespace whose inputs are all the
 * same, planned before the previous round's wake-up, plans the same as before (the property tests
 * check it), however many statuses the controller wrote meanwhile.
 */
import type { Finding } from '../escalation/audit.js';
import { sameItems } from '../identity.js';
import type { Triggered } from '../escalation/causes.js';
import type { GovernanceObjects, GovernanceSnapshot } from '../snapshot.js';
import type { NamespacePlan } from './namespace.js';
import type { Grouping, PlannedStop } from './round.js';

/** A workload's audit result and stop step. */
export interface WorkloadPlan {
  readonly finding: Finding | undefined;
  readonly stop: PlannedStop | undefined;
}

/** A status as planned, with the inputs besides the object and its namespace that it read. */
export interface StatusPlan {
  readonly wanted: Readonly<Record<string, unknown>>;
  readonly changesAt: number | undefined;
  /** Workload count (Capability) or dependents (AccountableRole), as text. */
  readonly extra: string;
}

export interface RoundMemo {
  /** Per namespace, the identities of its inputs (see {@link namespaceInputs}). */
  readonly inputs: ReadonlyMap<string, readonly unknown[]>;
  /** The round's inputs by namespace, regrouped only where their source changed. */
  readonly grouping: Grouping;
  /** What each namespace planned, reused whole while nothing it reads changed. */
  readonly namespaces: Map<string, NamespacePlan>;
  readonly workloads: WeakMap<object, WorkloadPlan>;
  readonly statuses: WeakMap<object, StatusPlan>;
  /** By Capability `spec` (see above): its role, delegation and suspension triggers, and the findings read. */
  readonly capabilityTriggers: WeakMap<
    object,
    { readonly findings: readonly Finding[]; readonly triggered: readonly Triggered[] }
  >;
  readonly findingTriggers: WeakMap<Finding, Triggered>;
}

/**
 * The memo of a new round: its own inputs and namespaces, and the items planned so far. The items
 * are keyed weakly by the objects they were planned from and every namespace planned again
 * records all of its items anew, so an item of a namespace reused whole is still its latest plan;
 * an item is read only for a namespace whose inputs are the same as in the previous round.
 */
export function nextMemo(
  inputs: ReadonlyMap<string, readonly unknown[]>,
  grouping: Grouping,
  before: RoundMemo | undefined,
): RoundMemo {
  return {
    inputs,
    grouping,
    namespaces: new Map(),
    workloads: before?.workloads ?? new WeakMap(),
    statuses: before?.statuses ?? new WeakMap(),
    capabilityTriggers: before?.capabilityTriggers ?? new WeakMap(),
    findingTriggers: before?.findingTriggers ?? new WeakMap(),
  };
}

function push(map: Map<string, unknown[]>, namespace: string, ...items: unknown[]): void {
  const list = map.get(namespace);
  if (list === undefined) map.set(namespace, items);
  else list.push(...items);
}

/**
 * Per namespace (sliced: yields when `tick` says so), everything its findings, statuses and causes depend on besides its workloads and
 * the clock: the global inputs (GovernancePolicies, devices, the operator's identity), its
 * Capabilities and the AccountableRoles they name, its Delegations and EscalationPolicies, the
 * Exemptions in it or covering it, its labels, and what the interaction graph says of its
 * capabilities (as text: a change of a capability elsewhere that touches none of them is no change).
 */
export function* namespaceInputs(
  snapshot: GovernanceSnapshot,
  objects: GovernanceObjects,
  namespaces: Iterable<string>,
  labels: (namespace: string) => unknown,
  tick: () => boolean = () => false,
  interactions: ReadonlyMap<string, string> = new Map(),
): Generator<void, Map<string, unknown[]>, void> {
  const global = [
    ...(objects.policies ?? []).map((policy) => policy.spec),
    snapshot.devices,
    snapshot.operatorNamespace,
    snapshot.operatorUser,
  ];
  const map = new Map<string, unknown[]>();
  for (const capability of objects.capabilities ?? []) {
    const namespace = capability.metadata.namespace ?? '';
    push(
      map,
      namespace,
      capability.spec,
      snapshot.roles.get(capability.spec.accountableRole)?.role.spec,
    );
    if (tick()) yield;
  }
  for (const delegation of objects.delegations ?? []) {
    push(map, delegation.metadata.namespace ?? '', delegation.spec);
    if (tick()) yield;
  }
  for (const policy of objects.escalationPolicies ?? []) {
    push(map, policy.metadata.namespace ?? '', policy);
  }
  for (const exemption of objects.exemptions ?? []) {
    const home = exemption.metadata.namespace ?? '';
    push(map, home, exemption.spec);
    const target = exemption.spec.scope.namespace;
    if (target !== undefined && target !== home) push(map, target, exemption.spec);
  }
  const out = new Map<string, unknown[]>();
  for (const namespace of new Set([...namespaces, ...map.keys()])) {
    out.set(namespace, [
      ...global,
      labels(namespace),
      interactions.get(namespace) ?? '',
      ...(map.get(namespace) ?? []),
    ]);
  }
  return out;
}

/** The namespaces whose inputs are the very same objects as in `before`. */
export function unchangedNamespaces(
  before: ReadonlyMap<string, readonly unknown[]>,
  after: ReadonlyMap<string, readonly unknown[]>,
): Set<string> {
  const same = new Set<string>();
  for (const [namespace, list] of after) {
    if (sameItems(before.get(namespace), list)) same.add(namespace);
  }
  return same;
}
