/**
 * The plan of one round of the controller, pure: from the governance snapshot, the parsed objects,
 * the running workloads and `now`, everything the writers need, indexed by key for O(1) lookups:
 * the desired status of every oos object, the causes of escalation, the managed Escalations of
 * each cause, the stop steps, the metric values, the audit findings and the next wake-up. Each
 * trigger returns its causes together with the time it next changes, so the wake-up is the
 * earliest of those and cannot diverge from the causes.
 */
import type { Capability, Escalation } from '../../api/index.js';
import { delegationState } from '../chain/delegation.js';
import { auditWorkload, countByCapability, isAnchored, type Finding } from '../escalation/audit.js';
import {
  capabilityTriggers,
  exemptionTrigger,
  findingsByCapability,
  findingTrigger,
  uniqueCauses,
  type Cause,
  type Triggered,
} from '../escalation/causes.js';
import { isResolved } from '../escalation/episode.js';
import { managedKey } from '../escalation/name.js';
import { stringAt, type JsonRecord } from '../json.js';
import {
  currentHolders,
  objectKey,
  type GovernanceObjects,
  type GovernanceSnapshot,
} from '../snapshot.js';
import { invalidKey, withValidCondition, type SchemaIssues } from '../status/valid.js';
import {
  capabilityLabel,
  groupKind,
  TABLE_STOP_METHODS,
  type StopMethods,
} from '../stop/workload.js';
import { stopStep, type StopStep } from '../stop/plan.js';
import type { WorkloadCount } from '../status/capability.js';
import { capabilityNames, dependentsOf } from '../status/dependents.js';
import { episodeChangesAt } from './clocks.js';
import {
  emptyMemo,
  namespaceInputs,
  sameItems,
  unchangedNamespaces,
  type RoundMemo,
  type StatusPlan,
} from './memo.js';
import { RoundMetrics } from './metrics.js';
import { STATUS_KINDS, type StatusObject } from './statuses.js';

/** An object of an oos kind its schema refuses, as the cache reports it. */
export interface InvalidInput extends SchemaIssues {
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface RoundInput {
  readonly snapshot: GovernanceSnapshot;
  /** The parsed objects the snapshot was built from (their status is planned). */
  readonly objects: GovernanceObjects;
  /** Every workload the informers hold, each with its apiVersion and kind. */
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
  /** By {@link invalidKey} (`Kind/namespace/name`). */
  readonly statuses: ReadonlyMap<string, PlannedStatus>;
  /** The triggers that raise a cause or change by the clock (quiet ones are left out). */
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
  /** The earliest instant after `now` at which anything planned changes by the clock alone. */
  readonly wakeAt: number | undefined;
  /** What the next round may reuse. */
  readonly memo: RoundMemo;
}

/** `group/Kind/namespace/name`: how a round keys a workload. */
export function stopId(workload: JsonRecord): string {
  return `${groupKind(workload)}/${stringAt(workload, 'metadata', 'namespace') ?? ''}/${stringAt(workload, 'metadata', 'name') ?? ''}`;
}

/**
 * What a status reads besides its object, its namespace's inputs and the clock: a Capability its
 * workload count, an AccountableRole the capabilities anchored to it, anything else nothing.
 */
function statusExtra(
  kind: string,
  object: StatusObject,
  snapshot: GovernanceSnapshot,
  counts: ReadonlyMap<string, WorkloadCount>,
): string {
  if (kind === 'Capability') {
    const count = counts.get(
      objectKey(object.metadata.namespace ?? '', object.metadata.name ?? ''),
    );
    return count === undefined ? '' : `${String(count.running)}/${String(count.anchored)}`;
  }
  if (kind === 'AccountableRole') {
    return capabilityNames(dependentsOf(snapshot, object.metadata.name ?? '')).join(',');
  }
  return '';
}

/** How many items a step handles before {@link planRoundSteps} yields. */
const SLICE = 200;

/**
 * {@link planRound} in slices: yields after every few hundred items so a caller can give the
 * event loop back (admission shares it) between them; returns the plan. Pure.
 */
export function* planRoundSteps(input: RoundInput): Generator<void, RoundPlan, void> {
  const { snapshot, objects } = input;
  const now = input.now.getTime();
  let done = 0;
  const tick = (): boolean => (done += 1) % SLICE === 0;

  const workloads = [...input.workloads];
  const namespaces = new Set<string>();
  for (const workload of workloads)
    namespaces.add(stringAt(workload, 'metadata', 'namespace') ?? '');
  const memo = emptyMemo(namespaceInputs(snapshot, objects, namespaces, input.namespaceLabels));
  const { previous } = input;
  const methods = input.stopMethods ?? TABLE_STOP_METHODS;
  const inWindow =
    previous?.stopMethods === methods &&
    previous.at.getTime() <= now &&
    (previous.wakeAt === undefined || now < previous.wakeAt);
  const same =
    previous !== undefined && inWindow
      ? unchangedNamespaces(previous.memo.inputs, memo.inputs)
      : new Set<string>();
  const before = previous?.memo;

  const findings: Finding[] = [];
  const stops = new Map<string, PlannedStop>();
  const uids = new Map<string, string>();
  for (const workload of workloads) {
    const namespace = stringAt(workload, 'metadata', 'namespace') ?? '';
    let planned = same.has(namespace) ? before?.workloads.get(workload) : undefined;
    if (planned === undefined) {
      const finding = auditWorkload(
        workload,
        snapshot,
        input.namespaceLabels(namespace),
        input.now,
        methods,
      );
      const label = capabilityLabel(workload);
      const capability =
        label === undefined
          ? undefined
          : snapshot.capabilities.get(objectKey(namespace, label))?.capability;
      const step = stopStep(workload, capability, methods);
      planned = {
        finding,
        stop: step.action === 'none' ? undefined : { workload, capability, step },
      };
    }
    memo.workloads.set(workload, planned);
    const { finding, stop } = planned;
    if (finding !== undefined) {
      findings.push(finding);
      if (finding.uid !== undefined) {
        uids.set(invalidKey(finding.workload.kind, namespace, finding.workload.name), finding.uid);
      }
    }
    if (stop !== undefined) stops.set(stopId(workload), stop);
    if (tick()) yield;
  }
  const counts = countByCapability(findings);

  const triggers: Triggered[] = [];
  let wakeAt = Infinity;
  const consider = (at: number | undefined): void => {
    if (at !== undefined && at < wakeAt) wakeAt = at;
  };
  const record = (triggered: Triggered): void => {
    if (triggered.causes.length > 0 || triggered.changesAt !== undefined) triggers.push(triggered);
    consider(triggered.changesAt);
  };
  const byCapability = findingsByCapability(findings);
  for (const [key, capability] of snapshot.capabilities) {
    const own = byCapability.get(key) ?? [];
    const reused = same.has(capability.namespace)
      ? before?.capabilityTriggers.get(capability.capability.spec)
      : undefined;
    const entry =
      reused !== undefined && sameItems(reused.findings, own)
        ? reused
        : { findings: own, triggered: capabilityTriggers(snapshot, capability, own, now) };
    memo.capabilityTriggers.set(capability.capability.spec, entry);
    entry.triggered.forEach(record);
    if (tick()) yield;
  }
  for (const finding of findings) {
    const namespace = finding.workload.namespace ?? '';
    const triggered =
      (same.has(namespace) ? before?.findingTriggers.get(finding) : undefined) ??
      findingTrigger(snapshot, finding, now);
    memo.findingTriggers.set(finding, triggered);
    record(triggered);
    if (tick()) yield;
  }
  for (const exemptions of snapshot.exemptions.values()) {
    for (const e of exemptions) record(exemptionTrigger(snapshot, e, now));
  }
  const causes = new Map(uniqueCauses(triggers).map((c) => [`${c.namespace}/${c.key}`, c]));

  const invalid = new Map<string, InvalidInput>();
  for (const object of input.invalid)
    invalid.set(invalidKey(object.kind, object.namespace, object.name), object);

  const metrics = new RoundMetrics();
  const statuses = new Map<string, PlannedStatus>();
  const inputs = { snapshot, counts };
  for (const [kind, statusKind] of Object.entries(STATUS_KINDS)) {
    for (const object of statusKind.list(objects)) {
      const namespace = object.metadata.namespace;
      const key = invalidKey(kind, namespace, object.metadata.name ?? '');
      if (object.metadata.uid !== undefined) uids.set(key, object.metadata.uid);
      const extra = statusExtra(kind, object, snapshot, counts);
      const reusable =
        namespace === undefined ? inWindow && kind === 'AccountableRole' : same.has(namespace);
      const reused = reusable ? before?.statuses.get(object) : undefined;
      let planned: StatusPlan;
      if (reused?.extra === extra) {
        planned = reused;
      } else {
        let wanted = statusKind.compute(object, inputs, now) as Record<string, unknown>;
        const issues = invalid.get(key);
        if (issues?.part === 'spec')
          wanted = withValidCondition(wanted, object.status, issues, now);
        planned = { wanted, changesAt: statusKind.changesAt(object, snapshot, now), extra };
      }
      memo.statuses.set(object, planned);
      consider(planned.changesAt);
      statuses.set(key, { kind, object, wanted: planned.wanted, changesAt: planned.changesAt });
      if (kind === 'Capability') metrics.capability(object as Capability, planned.wanted);
      if (tick()) yield;
    }
  }

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

  let vacant = 0;
  for (const role of snapshot.roles.values())
    if (currentHolders(role, now).length === 0) vacant += 1;
  metrics.vacantRoles = vacant;
  for (const list of snapshot.delegations.values()) {
    for (const delegation of list) metrics.delegation(delegationState(delegation, now));
  }
  for (const object of invalid.values()) metrics.invalidObject(object);
  for (const finding of findings) metrics.finding(finding, isAnchored(finding));

  return {
    snapshot,
    objects,
    at: input.now,
    stopMethods: methods,
    findings,
    counts,
    statuses,
    triggers,
    causes,
    episodes,
    stops,
    invalid,
    uids,
    metrics,
    wakeAt: Number.isFinite(wakeAt) ? wakeAt : undefined,
    memo,
  };
}

/** The plan of one round, in one go (see {@link planRoundSteps}). Pure. */
export function planRound(input: RoundInput): RoundPlan {
  const steps = planRoundSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}
