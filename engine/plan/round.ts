/**
 * The plan of one round of the controller, pure: from the governance snapshot, the parsed objects,
 * the running workloads and `now`, everything the writers need, indexed by key for O(1) lookups:
 * the desired status of every oos object, the causes of escalation, the managed Escalations of
 * each cause, the stop steps, the metric values, the audit findings and the next wake-up. Each
 * trigger returns its causes together with the time it next changes, so the wake-up is the
 * earliest of those and cannot diverge from the causes.
 */
import type { Capability, Escalation, InteractionStatus } from '../../api/index.js';
import type { Finding } from '../escalation/audit.js';
import {
  exemptionTrigger,
  uniqueCauses,
  type Cause,
  type Triggered,
} from '../escalation/causes.js';
import { isResolved } from '../escalation/episode.js';
import {
  pendingByPair,
  pendingTrigger,
  tamperTrigger,
  type Tampering,
} from '../escalation/interactions.js';
import type { InteractionEntry } from '../coordination/index.js';
import { managedKey } from '../escalation/name.js';
import type { JsonRecord } from '../json.js';
import { hasCurrentHolder, type GovernanceObjects, type GovernanceSnapshot } from '../snapshot.js';
import { invalidKey, type SchemaIssues } from '../status/valid.js';
import { TABLE_STOP_METHODS, type StopMethods } from '../stop/workload.js';
import type { StopStep } from '../stop/plan.js';
import type { WorkloadCount } from '../status/capability.js';
import { episodeChangesAt } from './clocks.js';
import { sameItems } from '../identity.js';
import {
  namespaceInputs,
  nextMemo,
  unchangedNamespaces,
  type NamespaceParts,
  type RoundMemo,
} from './memo.js';
import {
  entriesOf,
  pendingInteractions,
  planInteractionsSteps,
  type InteractionsPlan,
} from './interactions.js';
import { RoundMetrics } from './metrics.js';
import { PartedMap, segment } from './parted.js';
import type { PlannedPolicy } from './network-policy.js';
import { planNamespace, rebased, type NamespacePlan } from './namespace.js';
import { groupByNamespace, objectsOf } from './grouping.js';
import { planClusterStatuses } from './cluster.js';
import type { StatusObject } from './statuses.js';

export { stopId } from './namespace.js';

/** An object of an oos kind its schema refuses, as the cache reports it. */
export interface InvalidInput extends SchemaIssues {
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface RoundInput {
  readonly snapshot: GovernanceSnapshot;
  /** The parsed objects the snapshot was built from (their status is planned). */
  readonly objects: GovernanceObjects;
  /**
   * Every workload the informers hold, each with its apiVersion and kind. The very same list as
   * the previous round's means the same workloads (it is grouped again only when it is another),
   * so a caller never changes a list it has handed over.
   */
  readonly workloads: Iterable<JsonRecord>;
  readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined;
  /** Objects of the oos kinds their schema refuses. */
  readonly invalid: Iterable<InvalidInput>;
  readonly now: Date;
  /**
   * How each workload kind is stopped, as the operator found the cluster (a custom kind whose CRD
   * serves `scale`); the workload-type table's when absent.
   */
  readonly stopMethods?: StopMethods | undefined;
  /** The repairs the NetworkPolicies oos owns record (NetworkPolicyTampered). */
  readonly tamperings?: Iterable<Tampering> | undefined;
  /**
   * The previous round, whose work is reused where every input is the same object and its wake-up
   * has not come (the plan is the same with or without it, up to the instants it stamped).
   */
  readonly previous?: RoundPlan | undefined;
}

/** The status an oos object should have at the round's `now`. */
export interface PlannedStatus {
  readonly kind: string;
  /** The object as cached (its stored status is what `wanted` was merged with). */
  readonly object: StatusObject;
  readonly wanted: Readonly<Record<string, unknown>>;
  /** When `wanted` next changes by the clock alone. */
  readonly changesAt: number | undefined;
}

/** A workload the stop button has a step for. */
export interface PlannedStop {
  readonly workload: JsonRecord;
  readonly capability: Capability | undefined;
  readonly step: StopStep;
}

export interface RoundPlan {
  readonly snapshot: GovernanceSnapshot;
  readonly objects: GovernanceObjects;
  readonly at: Date;
  /** The stop methods the round judged with (a round under other methods is not reused). */
  readonly stopMethods: StopMethods;
  /** What the background audit concluded about each running AI workload (with its identity). */
  readonly findings: readonly Finding[];
  /** Workloads running and anchored, by `namespace/capability`. */
  readonly counts: ReadonlyMap<string, WorkloadCount>;
  /** By {@link invalidKey} (`Kind/namespace/name`), read in place from the namespaces' plans. */
  readonly statuses: PartedMap<PlannedStatus>;
  /**
   * The triggers that raise a cause or change by the clock (quiet ones are left out), the
   * namespaces' in their order, then the cluster's; gathered when first read.
   */
  readonly triggers: readonly Triggered[];
  /** Causes of escalation, by `namespace/key`. */
  readonly causes: ReadonlyMap<string, Cause>;
  /** Managed Escalations, by `namespace/key`, in no particular order. */
  readonly episodes: ReadonlyMap<string, readonly Escalation[]>;
  /** By {@link stopId}. */
  readonly stops: ReadonlyMap<string, PlannedStop>;
  /** By {@link invalidKey}. */
  readonly invalid: ReadonlyMap<string, InvalidInput>;
  /** The uid of each oos object and audited workload, by {@link invalidKey}. */
  readonly uids: ReadonlyMap<string, string>;
  readonly metrics: RoundMetrics;
  /** The interaction graph and what follows from it. */
  readonly interactions: InteractionsPlan;
  /** Each capability's declared interactions (`namespace/name`), as its status shows them. */
  readonly interactionEntries: (key: string) => readonly InteractionEntry[];
  /** By `namespace/name` of the policy: the NetworkPolicy of each Closed capability. */
  readonly networkPolicies: ReadonlyMap<string, PlannedPolicy>;
  /** The earliest instant after `now` at which anything planned changes by the clock alone. */
  readonly wakeAt: number | undefined;
  /** What the next round may reuse. */
  readonly memo: RoundMemo;
}

/** The parts of a namespace that has no inputs (never the case: every namespace planned has). */
const NO_PARTS: NamespaceParts = { common: [], byCapability: new Map(), unnamed: [] };

/** How many items a step handles before {@link planRoundSteps} yields. */
const SLICE = 200;

/**
 * {@link planRound} in slices: yields after every few hundred items so a caller can give the
 * event loop back (admission shares it) between them; returns the plan. Pure.
 *
 * Each namespace is planned apart (namespace.ts) and reused whole when its inputs, workloads and
 * objects are the very same as in the previous round and the previous round's wake-up has not
 * come; the cluster-scoped statuses, escalations and gauges are added to them.
 */
export function* planRoundSteps(input: RoundInput): Generator<void, RoundPlan, void> {
  const { snapshot, objects } = input;
  const now = input.now.getTime();
  let done = 0;
  const tick = (): boolean => (done += 1) % SLICE === 0;

  const { previous } = input;
  const grouped = yield* groupByNamespace(
    input.workloads,
    snapshot,
    objects,
    previous?.memo.grouping,
    tick,
  );
  const interactions = yield* planInteractionsSteps(snapshot, previous?.interactions, tick);
  const inputs = yield* namespaceInputs(
    snapshot,
    objects,
    (kind, namespace) => objectsOf(grouped.grouping, kind, namespace),
    grouped.namespaces.keys(),
    input.namespaceLabels,
    tick,
    interactions.namespaces,
    previous?.memo.inputs,
  );
  const invalid = new Map<string, InvalidInput>();
  const invalidNamespaces = new Set<string>();
  let refused = false;
  for (const object of input.invalid) {
    invalid.set(invalidKey(object.kind, object.namespace, object.name), object);
    if (object.namespace !== undefined) invalidNamespaces.add(object.namespace);
    else refused = true;
  }
  const before = previous?.memo;
  const memo = nextMemo(inputs, grouped.grouping, invalidNamespaces, before);
  const methods = input.stopMethods ?? TABLE_STOP_METHODS;
  const inWindow =
    previous?.stopMethods === methods &&
    previous.at.getTime() <= now &&
    (previous.wakeAt === undefined || now < previous.wakeAt);
  const same =
    previous !== undefined && inWindow
      ? unchangedNamespaces(previous.memo.inputs.inputs, memo.inputs.inputs)
      : new Set<string>();

  const parts: NamespacePlan[] = [];
  for (const [namespace, own] of grouped.namespaces) {
    const identities = inputs.inputs.get(namespace) ?? [];
    const reusable =
      same.has(namespace) &&
      !invalidNamespaces.has(namespace) &&
      before?.refused.has(namespace) !== true;
    const last = reusable ? before?.namespaces.get(namespace) : undefined;
    // The very same objects, or (after the controller's writes) echoes of the statuses planned.
    let kept: NamespacePlan | undefined;
    if (last !== undefined && sameItems(last.workloads, own.workloads)) {
      kept = sameItems(last.objects, own.objects)
        ? last
        : rebased(last, namespace, own.objects, memo);
    }
    let part: NamespacePlan;
    if (kept !== undefined) {
      part = kept;
      if (tick()) yield;
    } else {
      part = yield* planNamespace(own, identities, {
        snapshot,
        now: input.now,
        methods,
        labels: input.namespaceLabels(namespace),
        invalid,
        reuse: reusable ? before : undefined,
        inWindow: inWindow ? before : undefined,
        statusWindow: inWindow && !invalidNamespaces.has(namespace) ? before : undefined,
        parts: inputs.parts.get(namespace) ?? NO_PARTS,
        memo,
        previous: before?.namespaces.get(namespace),
        tick,
        interactions,
      });
    }
    memo.namespaces.set(namespace, part);
    parts.push(part);
  }

  let wakeAt = Infinity;
  const consider = (at: number | undefined): void => {
    if (at !== undefined && at < wakeAt) wakeAt = at;
  };
  // The round's maps read the namespaces' own in place: nothing is copied, so a round that
  // reuses most namespaces costs about what the namespaces planned anew cost.
  const namespaceMaps = <V>(
    of: (part: NamespacePlan) => ReadonlyMap<string, V>,
  ): Map<string, ReadonlyMap<string, V>> => {
    const maps = new Map<string, ReadonlyMap<string, V>>();
    memo.namespaces.forEach((part, namespace) => maps.set(namespace, of(part)));
    return maps;
  };
  const stops = new PartedMap(
    namespaceMaps((p) => p.stops),
    new Map(),
    STOP_NAMESPACE,
  );
  const counts = new PartedMap(
    namespaceMaps((p) => p.counts),
    new Map(),
    COUNT_NAMESPACE,
  );
  // The cluster-scoped statuses: AccountableRoles (they read the capabilities anchored to them)
  // and GovernancePolicies.
  const interactionEntries = (key: string) => entriesOf(interactions, key);
  const cluster = yield* planClusterStatuses(grouped.grouping.cluster, {
    inputs: { snapshot, counts, interactionEntries },
    invalid,
    refused,
    now,
    reuse: inWindow ? before : undefined,
    last: before?.cluster,
    memo,
    tick,
  });
  memo.cluster = cluster;
  consider(cluster.wakeAt);
  const uids = new PartedMap(
    namespaceMaps((p) => p.uids),
    cluster.uids,
    KEY_NAMESPACE,
  );
  const statuses = new PartedMap(
    namespaceMaps((p) => p.statuses),
    cluster.statuses,
    KEY_NAMESPACE,
  );
  // Only the triggers that raise a cause are gathered for the causes: the namespaces' others
  // (10,000 at full size, each changing by the clock) stay in their namespaces' plans.
  const raising: Triggered[] = [];
  const clusterTriggers: Triggered[] = [];
  const record = (triggered: Triggered): void => {
    if (triggered.causes.length > 0 || triggered.changesAt !== undefined)
      clusterTriggers.push(triggered);
    if (triggered.causes.length > 0) raising.push(triggered);
    consider(triggered.changesAt);
  };
  const metrics = new RoundMetrics();
  for (const [namespace, part] of memo.namespaces) {
    consider(part.wakeAt);
    for (const triggered of part.raising) raising.push(triggered);
    metrics.add(namespace, part.metrics);
    if (tick()) yield;
  }
  for (const exemptions of snapshot.exemptions.values()) {
    for (const e of exemptions) record(exemptionTrigger(snapshot, e, now));
  }
  // The coordination layer: edges one side has waited on longer than maxPending (since when, from
  // the declaring side's planned status), and the NetworkPolicies oos had to write back.
  const statusOf = (key: string) => {
    const planned = statuses.get(invalidKey('Capability', ...splitKey(key)));
    return (planned?.wanted as { interactions?: readonly InteractionStatus[] } | undefined)
      ?.interactions;
  };
  const pending = pendingInteractions(interactions, statusOf, now);
  for (const pair of pendingByPair(pending).values()) {
    record(pendingTrigger(snapshot, pair, interactions.maxPendingMs, now));
  }
  for (const tampering of input.tamperings ?? []) record(tamperTrigger(snapshot, tampering, now));
  metrics.interactions.add(interactions.counts);
  const causes = new Map(uniqueCauses(raising).map((c) => [`${c.namespace}/${c.key}`, c]));

  const episodes = new Map<string, Escalation[]>();
  for (const escalation of snapshot.escalations.values()) {
    consider(episodeChangesAt(snapshot, escalation, now));
    const key = managedKey(escalation);
    if (key === undefined) continue;
    const id = `${escalation.metadata.namespace ?? ''}/${key}`;
    const list = episodes.get(id);
    if (list) list.push(escalation);
    else episodes.set(id, [escalation]);
    if (!isResolved(escalation)) metrics.openEscalation(escalation);
    if (tick()) yield;
  }

  // Every round counts the 1,000 roles: no list made per role, no iterator step per role.
  let vacant = 0;
  snapshot.roles.forEach((role) => {
    if (!hasCurrentHolder(role, now)) vacant += 1;
  });
  metrics.vacantRoles = vacant;
  for (const object of invalid.values()) metrics.invalidObject(object);

  let findings: readonly Finding[] | undefined;
  let triggers: readonly Triggered[] | undefined;
  const namespacePlans = memo.namespaces;
  return {
    snapshot,
    objects,
    at: input.now,
    stopMethods: methods,
    // Gathered from the namespaces when first read (the reports and the register read them).
    get findings() {
      findings ??= parts.flatMap((part) => part.findings);
      return findings;
    },
    counts,
    statuses,
    // Gathered when first read, as above (the round itself needs only those that raise a cause).
    get triggers() {
      triggers ??= [...namespacePlans.values()]
        .flatMap((part) => part.triggers)
        .concat(clusterTriggers);
      return triggers;
    },
    causes,
    episodes,
    stops,
    invalid,
    uids,
    metrics,
    interactions,
    interactionEntries,
    networkPolicies: interactions.policies,
    wakeAt: Number.isFinite(wakeAt) ? wakeAt : undefined,
    memo,
  };
}

/** The namespace of a key of {@link stopId} (`group/Kind/namespace/name`). */
const STOP_NAMESPACE = (key: string): string => segment(key, 2);
/** The namespace of a key of `invalidKey` (`Kind/namespace/name`; '' when cluster-scoped). */
const KEY_NAMESPACE = (key: string): string => segment(key, 1);
/** The namespace of a key of `objectKey` (`namespace/name`). */
const COUNT_NAMESPACE = (key: string): string => segment(key, 0);

/** `namespace/name` as its two parts. */
function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** The plan of one round, in one go (see {@link planRoundSteps}). Pure. */
export function planRound(input: RoundInput): RoundPlan {
  const steps = planRoundSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}
