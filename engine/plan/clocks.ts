/**
 * When a status or an open escalation next changes by the clock alone, per object: the other
 * half of every trigger (engine/escalation/causes.ts returns the causes with their own times).
 */
import type { Escalation } from '../../api/index.js';
import { nextAfter } from '../escalation/causes.js';
import { isResolved, openedAt } from '../escalation/episode.js';
import { nextLevelAt } from '../escalation/level.js';
import { leadTimeMs, routingByName } from '../escalation/routing.js';
import {
  delegationKey,
  objectKey,
  type GovernanceSnapshot,
  type IndexedDelegation,
  type IndexedExemption,
  type IndexedRole,
} from '../snapshot.js';
import { parseTime } from '../time.js';

/** A Delegation's state and Expiring condition: it starts, enters its lead time, expires. */
export function delegationChangesAt(
  snapshot: GovernanceSnapshot,
  d: IndexedDelegation,
  now: number,
): number | undefined {
  const capability = snapshot.capabilities.get(objectKey(d.namespace, d.capability));
  const lead = leadTimeMs(snapshot, d.namespace, capability, 'DelegationExpiring');
  return nextAfter(now, [d.from, d.until, d.until - lead]);
}

/** An AccountableRole's current holders: each attestation lapses. */
export function roleChangesAt(role: IndexedRole | undefined, now: number): number | undefined {
  return role === undefined
    ? undefined
    : nextAfter(
        now,
        role.holders.map((h) => h.until),
      );
}

/** A Capability's Anchored and Delegated conditions: its holders lapse, its delegations start or end. */
export function capabilityChangesAt(
  snapshot: GovernanceSnapshot,
  namespace: string,
  name: string,
  role: string,
  now: number,
): number | undefined {
  const instants: (number | undefined)[] = [roleChangesAt(snapshot.roles.get(role), now)];
  for (const account of snapshot.delegatedServiceAccounts.get(objectKey(namespace, name)) ?? []) {
    for (const d of snapshot.delegations.get(delegationKey(namespace, name, account)) ?? []) {
      instants.push(d.from, d.until);
    }
  }
  return nextAfter(now, instants);
}

/** An Exemption's state: it expires. */
export function exemptionChangesAt(
  exemption: IndexedExemption | undefined,
  expiresAt: string | undefined,
  now: number,
): number | undefined {
  return nextAfter(now, [exemption?.expires ?? parseTime(expiresAt)]);
}

/** An Escalation: its next level falls due, or its retention after resolution ends. */
export function episodeChangesAt(
  snapshot: GovernanceSnapshot,
  escalation: Escalation,
  now: number,
): number | undefined {
  const routing = routingByName(
    snapshot,
    escalation.metadata.namespace ?? '',
    escalation.spec.policy,
  );
  if (isResolved(escalation)) {
    const resolvedAt = parseTime(escalation.status?.resolvedAt);
    return nextAfter(now, [
      resolvedAt === undefined ? undefined : resolvedAt + routing.retentionMs,
    ]);
  }
  return nextAfter(now, [
    nextLevelAt({
      levels: routing.levels,
      openedAt: openedAt(escalation, now),
      stored: escalation.status?.level ?? 0,
      frozen: escalation.spec.acknowledged,
      now,
    }),
  ]);
}
