import { objectKey, type GovernanceSnapshot } from '../snapshot.js';
import { dependentsOf } from '../status/dependents.js';
import { parseTime } from '../time.js';
import { isResolved, openedAt } from './episode.js';
import { nextLevelAt } from './level.js';
import { leadTimeMs, routingByName } from './routing.js';

/**
 * The next instant after `now` at which a status or an escalation changes by the clock alone:
 * a delegation starts, enters its lead time or expires; an attestation enters its lead time or
 * lapses; an exemption expires; an open escalation reaches its next level; a resolved one reaches
 * the end of its retention. Undefined when nothing is scheduled. The controller sets one timer at
 * this instant instead of polling.
 */
export function nextWakeup(snapshot: GovernanceSnapshot, now: number): number | undefined {
  let next = Infinity;
  const consider = (instant: number | undefined): void => {
    if (instant !== undefined && Number.isFinite(instant) && instant > now && instant < next) {
      next = instant;
    }
  };
  for (const delegations of snapshot.delegations.values()) {
    for (const d of delegations) {
      const capability = snapshot.capabilities.get(objectKey(d.namespace, d.capability));
      consider(d.from);
      consider(d.until);
      consider(d.until - leadTimeMs(snapshot, d.namespace, capability, 'DelegationExpiring'));
    }
  }
  for (const role of snapshot.roles.values()) {
    const leads = new Set(
      dependentsOf(snapshot, role.name).map((c) =>
        leadTimeMs(snapshot, c.namespace, c, 'AttestationExpiring'),
      ),
    );
    for (const holder of role.holders) {
      consider(holder.until);
      for (const lead of leads) consider(holder.until - lead);
    }
  }
  for (const exemptions of snapshot.exemptions.values()) {
    for (const exemption of exemptions) consider(exemption.expires);
  }
  for (const escalation of snapshot.escalations.values()) {
    const routing = routingByName(
      snapshot,
      escalation.metadata.namespace ?? '',
      escalation.spec.policy,
    );
    if (isResolved(escalation)) {
      const resolvedAt = parseTime(escalation.status?.resolvedAt);
      consider(resolvedAt === undefined ? undefined : resolvedAt + routing.retentionMs);
    } else {
      consider(
        nextLevelAt({
          levels: routing.levels,
          openedAt: openedAt(escalation, now),
          stored: escalation.status?.level ?? 0,
          frozen: escalation.spec.acknowledged,
          now,
        }),
      );
    }
  }
  return Number.isFinite(next) ? next : undefined;
}
