/**
 * The statuses of a round's cluster-scoped objects: the AccountableRoles (each reads the names of
 * the capabilities anchored to it) and the GovernancePolicies. At full size that is 1,000 roles.
 * A round after a change that left the roles and policies the very same objects plans again only
 * the policies and the roles whose dependents may have changed (none after a Capability's spec
 * changed but not its role); when each comes out as the very plan of the previous round, the
 * previous round's maps are kept whole instead of building two 1,000-entry maps, their keys and
 * their entries again.
 */
import { changedRoles, dependentNames, roleIndex, type RoleIndex } from '../status/dependents.js';
import { invalidKey } from '../status/valid.js';
import type { RoundMemo } from './memo.js';
import { planStatus } from './namespace.js';
import type { InvalidInput, PlannedStatus } from './round.js';
import type { StatusInputs, StatusObject } from './statuses.js';

/** What a round planned of the cluster-scoped statuses. */
export interface ClusterStatuses {
  /** The objects planned, as the round grouped them (kept while the same). */
  readonly objects: readonly StatusObject[];
  /** By `invalidKey`. */
  readonly statuses: ReadonlyMap<string, PlannedStatus>;
  /** Their uids, by `invalidKey`. */
  readonly uids: ReadonlyMap<string, string>;
  /** The earliest instant at which one of them changes by the clock alone (Infinity: never). */
  readonly wakeAt: number;
  /** The index of the roles' dependents they were planned from. */
  readonly index: RoleIndex;
  /** Whether the schema refused one of them (its status reads the refusal). */
  readonly refused: boolean;
}

export interface ClusterContext {
  readonly inputs: StatusInputs;
  readonly invalid: ReadonlyMap<string, InvalidInput>;
  /** Whether `invalid` holds a cluster-scoped object. */
  readonly refused: boolean;
  readonly now: number;
  /** The previous round's memo when its wake-up has not come. */
  readonly reuse: RoundMemo | undefined;
  /** The previous round's cluster-scoped statuses. */
  readonly last: ClusterStatuses | undefined;
  /** This round's memo, which records every plan. */
  readonly memo: RoundMemo;
  readonly tick: () => boolean;
}

/**
 * Plans the status of each cluster-scoped object; yields when `context.tick()` says so. A role's
 * plan is reused when the names of its dependents are the same and nothing refuses its spec; a
 * GovernancePolicy's is computed again (it reads the policy in force).
 */
export function* planClusterStatuses(
  objects: readonly StatusObject[],
  context: ClusterContext,
): Generator<void, ClusterStatuses, void> {
  const { last } = context;
  const index = roleIndex(context.inputs.snapshot);
  if (
    last?.objects === objects &&
    context.reuse !== undefined &&
    !context.refused &&
    !last.refused &&
    sameAsLast(last, index, context)
  ) {
    // Planned from this index now: the next round's `changedRoles` compares with it.
    return last.index === index ? last : { ...last, index };
  }
  const statuses = new Map<string, PlannedStatus>();
  const uids = new Map<string, string>();
  let wakeAt = Infinity;
  for (const object of objects) {
    const key = invalidKey(object.kind, undefined, object.metadata.name ?? '');
    if (object.metadata.uid !== undefined) uids.set(key, object.metadata.uid);
    const planned = plan(object, key, last?.statuses.get(key), context);
    if (planned.changesAt !== undefined && planned.changesAt < wakeAt) wakeAt = planned.changesAt;
    statuses.set(key, planned);
    if (context.tick()) yield;
  }
  return { objects, statuses, uids, wakeAt, index, refused: context.refused };
}

const ROLE = 'AccountableRole';

/**
 * Whether every object of `last` (the same list as now, none refused then or now) plans as the
 * very status it planned: each policy, and each role whose dependents may differ between the two
 * indexes (all of them when that is not known). Every other role reads the very same object and
 * list of dependents as in the previous round, within its wake-up, and so plans as it did. Walked
 * without yielding (a lookup or two per object).
 */
function sameAsLast(last: ClusterStatuses, index: RoleIndex, context: ClusterContext): boolean {
  const roles = changedRoles(last.index, index);
  let i = 0;
  let changed = 0;
  last.statuses.forEach((before, key) => {
    const object = last.objects[i];
    i += 1;
    if (changed > 0) return;
    if (object === undefined || before.object !== object) changed += 1;
    else if (roles !== undefined && object.kind === ROLE && !roles.has(object.metadata.name ?? ''))
      return;
    else if (plan(object, key, before, context) !== before) changed += 1;
  });
  return changed === 0;
}

/** One object's status, recorded in the round's memo. */
function plan(
  object: StatusObject,
  key: string,
  before: PlannedStatus | undefined,
  context: ClusterContext,
): PlannedStatus {
  const { kind } = object;
  const role = kind === ROLE;
  const extra = role ? dependentNames(context.inputs.snapshot, object.metadata.name ?? '') : '';
  const reuse = role && !context.invalid.has(key) ? context.reuse : undefined;
  const planned = planStatus(
    kind,
    object,
    extra,
    reuse,
    before,
    context.inputs,
    context.invalid,
    context.now,
  );
  context.memo.statuses.set(object, planned);
  const same =
    before?.object === object &&
    before.wanted === planned.wanted &&
    before.changesAt === planned.changesAt;
  if (same) return before;
  return { kind, object, wanted: planned.wanted, changesAt: planned.changesAt };
}
