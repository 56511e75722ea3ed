import {
  CONDITION_READY,
  type AccountableRole,
  type AccountableRoleStatus,
} from '../../api/index.js';
import { currentHolders, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';
import { formatTime } from '../time.js';
import { mergeConditions } from './conditions.js';
import { dependentsOf } from './dependents.js';
import { withObservedGeneration } from './generation.js';

/**
 * The status of an AccountableRole at `now`: how many holders are current, whether it is vacant,
 * when the next attestation lapses, and a Ready condition that names the capabilities depending
 * on it (they stop being admitted while it is vacant).
 */
export function accountableRoleStatus(
  role: AccountableRole,
  snapshot: GovernanceSnapshot,
  now: number,
): AccountableRoleStatus {
  const name = role.metadata.name ?? '';
  const indexed = snapshot.roles.get(name);
  const current = indexed === undefined ? [] : currentHolders(indexed, now);
  const dependents = dependentsOf(snapshot, name);
  const anchors =
    dependents.length === 0
      ? 'no capability is anchored to it yet'
      : `capabilities anchored to it: ${list(dependents, 10)}`;
  const earliest = current.reduce((min, holder) => Math.min(min, holder.until), Infinity);
  const ready =
    current.length > 0
      ? {
          type: CONDITION_READY,
          status: 'True' as const,
          reason: 'HoldersCurrent',
          message: `${current.length} current holder${current.length === 1 ? '' : 's'} (${list(current.map((h) => h.user))}); ${anchors}.`,
        }
      : {
          type: CONDITION_READY,
          status: 'False' as const,
          reason: 'AccountabilityVacant',
          message: `The role has no current holder, so the AI anchored to it is not admitted (${anchors}): add a person as a holder, or renew a holder's attestedUntil.`,
        };
  const generation = role.metadata.generation;
  return withObservedGeneration(generation, {
    currentHolders: current.length,
    vacant: current.length === 0,
    ...(Number.isFinite(earliest) ? { nextAttestationExpiry: formatTime(earliest) } : {}),
    conditions: mergeConditions(role.status?.conditions, [ready], generation, now),
  });
}
