/**
 * What lets a round reuse the previous round's work: per namespace, the identities of every input
 * its findings, statuses and causes are computed from. The cache hands out the same parsed object
 * while an object is unchanged, and the same `spec` object while nothing but its status and
 * annotations changed (the status is the controller's output, never an input of anything but
 * that object's own status; no rule reads an annotation), so each governance object counts by its
 * `spec`: a namespace whose inputs are all the same, planned before the previous round's wake-up,
 * plans the same as before (the property tests check it), however many statuses the controller
 * or annotations anyone wrote meanwhile.
 */
import type { Finding } from '../escalation/audit.js';
import { sameItems } from '../identity.js';
import type { Triggered } from '../escalation/causes.js';
import type { GovernanceObjects, GovernanceSnapshot } from '../snapshot.js';
import type { NamespacePlan } from './namespace.js';
import type { Capability, Delegation } from '../../api/index.js';
import type { Grouping } from './grouping.js';
import type { PlannedStop } from './round.js';
import type { ClusterStatuses } from './cluster.js';

/** A workload's audit result and stop step, with the parts of its namespace's inputs it read. */
export interface WorkloadPlan {
  readonly finding: Finding | undefined;
  readonly stop: PlannedStop | undefined;
  /** Its namespace's {@link NamespaceParts.common} when it was planned. */
  readonly common: readonly unknown[];
  /** The part of its capability ({@link partOf}) when it was planned. */
  readonly part: readonly unknown[];
}

/** A capability's triggers, with what they were computed from. */
export interface CapabilityTriggersPlan {
  /** The capability's own findings. */
  readonly findings: readonly Finding[];
  readonly common: readonly unknown[];
  readonly part: readonly unknown[];
  readonly triggered: readonly Triggered[];
}

/** A status as planned, with the inputs besides the object and its namespace that it read. */
export interface StatusPlan {
  readonly wanted: Readonly<Record<string, unknown>>;
  readonly changesAt: number | undefined;
  /** Workload count (Capability) or dependents (AccountableRole), as text. */
  readonly extra: string;
  /** For a Capability or a Delegation: the parts of its namespace's inputs it was planned from. */
  readonly common: readonly unknown[] | undefined;
  readonly part: readonly unknown[] | undefined;
  /**
   * Planned while the schema refused the object's newer version: never reused, for the refusal
   * may be withdrawn while the cache still holds the very same object.
   */
  readonly refused: boolean;
}

export interface RoundMemo {
  /** Per namespace, the identities of its inputs (see {@link namespaceInputs}). */
  readonly inputs: NamespaceInputs;
  /** The round's inputs by namespace, regrouped only where their source changed. */
  readonly grouping: Grouping;
  /** What each namespace planned, reused whole while nothing it reads changed. */
  readonly namespaces: Map<string, NamespacePlan>;
  /**
   * The namespaces in which the schema refused an object: the next round plans them again, for
   * the refusal may be withdrawn while the cache still holds the very same objects.
   */
  readonly refused: ReadonlySet<string>;
  readonly workloads: WeakMap<object, WorkloadPlan>;
  readonly statuses: WeakMap<object, StatusPlan>;
  /** By Capability `spec` (see above): its role, delegation and suspension triggers. */
  readonly capabilityTriggers: WeakMap<object, CapabilityTriggersPlan>;
  /**
   * By finding: its trigger. A finding is a new object whenever its workload is audited again,
   * so a finding found here was reused with its workload's plan, from the same inputs.
   */
  readonly findingTriggers: WeakMap<Finding, Triggered>;
  /** The round's cluster-scoped statuses, once planned. */
  cluster?: ClusterStatuses | undefined;
}

/**
 * The memo of a new round: its own inputs and namespaces, and the items planned so far. The items
 * are keyed weakly by the objects they were planned from and every namespace planned again
 * records all of its items anew, so an item of a namespace reused whole is still its latest plan.
 * Most statuses are read only for a namespace whose inputs are the same as in the previous
 * round; a workload's plan, a capability's triggers and a Capability's or a Delegation's status
 * carry the parts of the inputs they read ({@link NamespaceParts}) and are read when those parts
 * are the same.
 */
export function nextMemo(
  inputs: NamespaceInputs,
  grouping: Grouping,
  refused: ReadonlySet<string>,
  before: RoundMemo | undefined,
): RoundMemo {
  return {
    inputs,
    grouping,
    namespaces: new Map(),
    refused,
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
 * The namespaces' inputs and what they were made of, which the next round's
 * {@link namespaceInputs} reuses.
 */
export interface NamespaceInputs {
  /** Per namespace, the identities of its inputs. */
  readonly inputs: ReadonlyMap<string, readonly unknown[]>;
  /** What every namespace's inputs read: a change of any recomputes them all. */
  readonly shared: readonly unknown[];
  /** The EscalationPolicies and Exemptions each namespace's inputs hold (made with `shared`). */
  readonly extra: ReadonlyMap<string, readonly unknown[]>;
  /**
   * Per namespace, what its own inputs were made of: its Capabilities, Delegations, labels and
   * interactions.
   */
  readonly sources: ReadonlyMap<string, readonly unknown[]>;
  /** Per namespace, its inputs as the audit and the triggers read them. */
  readonly parts: ReadonlyMap<string, NamespaceParts>;
}

/**
 * A namespace's inputs as a workload's audit and stop step and the escalation triggers read them
 * (engine/chain reads no more): the part every one of them reads, and the part of each capability.
 * A change of one capability, its role or its Delegations changes only that capability's part,
 * so a round after it audits again only the workloads anchored to that capability and plans
 * again only its triggers, its status and its Delegations' (their statuses read the same parts).
 */
export interface NamespaceParts {
  /** The global inputs, the namespace's labels, its EscalationPolicies and Exemptions. */
  readonly common: readonly unknown[];
  /** By capability name: its `spec`, its role's `spec`, the `spec` of each of its Delegations. */
  readonly byCapability: ReadonlyMap<string, readonly unknown[]>;
  /**
   * What a workload that names no capability of the namespace reads besides `common`: the names
   * of the namespace's capabilities, which its verdict lists.
   */
  readonly unnamed: readonly unknown[];
}

/** The part of the namespace's inputs a workload labelled with `capability` reads. */
export function partOf(parts: NamespaceParts, capability: string | undefined): readonly unknown[] {
  return (
    (capability === undefined ? undefined : parts.byCapability.get(capability)) ?? parts.unnamed
  );
}

/** The status objects of a kind in a namespace, as the round grouped them. */
type ObjectsOf = (kind: 'Capability' | 'Delegation', namespace: string) => readonly unknown[];

/**
 * Per namespace (sliced: yields when `tick` says so), everything its findings, statuses and causes
 * depend on besides its workloads and the clock: the global inputs (GovernancePolicies, devices,
 * the operator's identity), its Capabilities and the AccountableRoles they name, its Delegations
 * and EscalationPolicies, the Exemptions in it or covering it, its labels, and what the
 * interaction graph says of its capabilities (as text: a change of a capability elsewhere that
 * touches none of them is no change). A namespace whose own sources (its grouped Capabilities and
 * Delegations, its labels, its interactions) and the shared ones are the very same as `before`'s
 * keeps its inputs, so a round after one change builds the inputs of one namespace, not all.
 */
export function* namespaceInputs(
  snapshot: GovernanceSnapshot,
  objects: GovernanceObjects,
  objectsOf: ObjectsOf,
  namespaces: Iterable<string>,
  labels: (namespace: string) => unknown,
  tick: () => boolean = () => false,
  interactions: ReadonlyMap<string, string> = new Map(),
  before?: NamespaceInputs,
): Generator<void, NamespaceInputs, void> {
  const shared = [
    objects.policies,
    snapshot.roles,
    objects.escalationPolicies,
    objects.exemptions,
    snapshot.devices,
    snapshot.operatorNamespace,
    snapshot.operatorUser,
  ];
  const reuse = before !== undefined && sameItems(before.shared, shared) ? before : undefined;
  const extra = reuse?.extra ?? extraInputs(objects);
  const global = [
    ...(objects.policies ?? []).map((policy) => policy.spec),
    snapshot.devices,
    snapshot.operatorNamespace,
    snapshot.operatorUser,
  ];
  const inputs = new Map<string, readonly unknown[]>();
  const sources = new Map<string, readonly unknown[]>();
  const parts = new Map<string, NamespaceParts>();
  for (const namespace of new Set([...namespaces, ...extra.keys()])) {
    const capabilities = objectsOf('Capability', namespace) as readonly Capability[];
    const delegations = objectsOf('Delegation', namespace) as readonly Delegation[];
    const own = [capabilities, delegations, labels(namespace), interactions.get(namespace) ?? ''];
    sources.set(namespace, own);
    const kept = reuse?.inputs.get(namespace);
    const keptParts = reuse?.parts.get(namespace);
    if (
      kept !== undefined &&
      keptParts !== undefined &&
      sameItems(reuse?.sources.get(namespace), own)
    ) {
      inputs.set(namespace, kept);
      parts.set(namespace, keptParts);
      continue;
    }
    const common = [...global, own[2], ...(extra.get(namespace) ?? [])];
    const byCapability = new Map<string, unknown[]>();
    const list: unknown[] = [...common, own[3]];
    for (const capability of capabilities) {
      const part = [
        capability.spec,
        snapshot.roles.get(capability.spec.accountableRole)?.role.spec,
      ];
      byCapability.set(capability.metadata.name ?? '', part);
      list.push(...part);
      if (tick()) yield;
    }
    for (const delegation of delegations) {
      byCapability.get(delegation.spec.capability)?.push(delegation.spec);
      list.push(delegation.spec);
      if (tick()) yield;
    }
    const unnamed = snapshot.capabilityNames.get(namespace) ?? [];
    inputs.set(namespace, list);
    parts.set(namespace, { common, byCapability, unnamed });
  }
  return { inputs, shared, extra, sources, parts };
}

/** The EscalationPolicies of each namespace, then the Exemptions in it or covering it. */
function extraInputs(objects: GovernanceObjects): Map<string, unknown[]> {
  const map = new Map<string, unknown[]>();
  for (const policy of objects.escalationPolicies ?? []) {
    push(map, policy.metadata.namespace ?? '', policy);
  }
  for (const exemption of objects.exemptions ?? []) {
    const home = exemption.metadata.namespace ?? '';
    push(map, home, exemption.spec);
    const target = exemption.spec.scope.namespace;
    if (target !== undefined && target !== home) push(map, target, exemption.spec);
  }
  return map;
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
