/**
 * The objects as the operator's cache holds them once the controller has written the statuses a
 * round planned: what the tests and the benchmarks of later rounds start from.
 */
import type { RoundPlan } from '../plan/round.js';
import type { GovernanceObjects } from '../snapshot.js';
import { invalidKey } from '../status/valid.js';

interface Stored {
  readonly kind: string;
  readonly metadata: {
    readonly namespace?: string | undefined;
    readonly name?: string | undefined;
  };
}

/** `objects`, each one `plan` has a status for carrying that status (the others as they are). */
export function withPlannedStatuses(
  objects: GovernanceObjects,
  plan: RoundPlan,
): GovernanceObjects {
  const written = (list: readonly Stored[]): Stored[] =>
    list.map((o) => {
      const planned = plan.statuses.get(
        invalidKey(o.kind, o.metadata.namespace, o.metadata.name ?? ''),
      );
      return planned === undefined ? o : { ...o, status: planned.wanted };
    });
  return Object.fromEntries(
    Object.entries(objects).map(([field, list]) => [field, written(list as readonly Stored[])]),
  );
}
