import {
  CONDITION_READY,
  CONDITION_RESOLVED,
  type Escalation,
  type EscalationStatus,
  type EscalationTrigger,
  type Severity,
} from '../../api/index.js';
import {
  findCondition,
  formatSeconds,
  mergeConditions,
  type ConditionSpec,
} from '../status/conditions.js';
import { withObservedGeneration } from '../status/generation.js';
import { list } from '../text.js';
import { parseTime } from '../time.js';
import type { Cause } from './causes.js';
import { escalationLevel, nextLevelAt } from './level.js';
import type { ResolvedLevel, Routing } from './routing.js';

/** The condition that says whether a person has acknowledged the escalation. */
export const CONDITION_ACKNOWLEDGED = 'Acknowledged';

/** How each cause goes away, for the Resolved condition's message. */
const GONE: Readonly<Record<EscalationTrigger, string>> = {
  AccountabilityVacant:
    'the accountable role has a current holder again, or the capability is gone',
  AttestationExpiring: 'the attestation was renewed, or the holder is no longer listed or current',
  DelegationExpiring: 'the delegation was renewed by a new one, revoked or removed',
  DelegationExpired: 'a new delegation is active, or the expired one was revoked or removed',
  UnanchoredWorkload: 'the workload is anchored, stopped or removed',
  CapabilitySuspended: 'no workload of the capability runs any more, or it was resumed',
  BoundaryViolation: 'the workload fits the boundaries, or is stopped or removed',
  ExemptionExpired: 'the expired exemption was removed (after its evidence retention)',
  ExemptAIWorkload: 'the workload is stopped or removed, or its namespace is no longer exempt',
  InteractionPending:
    'both sides declare the interaction now, or the side that declared it withdrew it',
  NetworkPolicyTampered:
    'the NetworkPolicy oos wrote back has stayed as oos wrote it for the tamper window',
};

/** One level the escalation has just reached, and the roles it notifies. */
export interface RaisedLevel {
  readonly level: number;
  readonly roles: readonly string[];
}

/** What the controller must do about one existing Escalation at `now`. */
export interface EpisodePlan {
  readonly status: EscalationStatus;
  /** Levels reached since the stored status, in order (notify each). */
  readonly raised: readonly RaisedLevel[];
  /** The cause went away now (stored status still open). */
  readonly resolvedNow: boolean;
  /** A person acknowledged it since the stored status. */
  readonly acknowledgedNow: boolean;
  readonly resolved: boolean;
  /** Severity and summary to write into the spec when the cause now reads differently. */
  readonly spec: { readonly severity: Severity; readonly summary: string } | undefined;
  /** When the next level falls due (open, unacknowledged), else undefined. */
  readonly nextLevelAt: number | undefined;
  /** When the retention of a resolved escalation ends (then it is deleted). */
  readonly expiresAt: number | undefined;
}

/** Whether the stored escalation is resolved. */
export function isResolved(escalation: Escalation): boolean {
  return (
    escalation.status?.resolvedAt !== undefined ||
    findCondition(escalation.status?.conditions, CONDITION_RESOLVED)?.status === 'True'
  );
}

/** When the escalation opened: its creation (each recurrence of a cause is a new Escalation). */
export function openedAt(escalation: Escalation, now: number): number {
  return parseTime(escalation.metadata.creationTimestamp) ?? now;
}

/** The roles one level notifies: its own, plus the accountable role when it says so. */
export function levelRoles(level: ResolvedLevel, accountableRole: string | undefined): string[] {
  const roles = [...level.roles];
  if (level.notifyAccountableRole && accountableRole !== undefined) roles.push(accountableRole);
  return [...new Set(roles)];
}

function conditions(
  escalation: Escalation,
  plan: {
    level: number;
    resolved: boolean;
    total: number;
    next: number | undefined;
    expiresAt: number | undefined;
  },
  notified: readonly string[],
): ConditionSpec[] {
  const { spec } = escalation;
  const resolved: ConditionSpec = plan.resolved
    ? {
        type: CONDITION_RESOLVED,
        status: 'True',
        reason: 'CauseGone',
        message: `The cause is gone (${GONE[spec.trigger]}); the escalation is kept as evidence${plan.expiresAt === undefined ? '' : ` until ${formatSeconds(plan.expiresAt)}`}.`,
      }
    : { type: CONDITION_RESOLVED, status: 'False', reason: 'CauseActive', message: spec.summary };
  const ladder =
    plan.level === 0
      ? 'no level notified yet'
      : `level ${plan.level} of ${plan.total} notified (${notified.length === 0 ? 'no role' : `roles ${list(notified)}`})`;
  const next =
    plan.next === undefined
      ? ''
      : `; level ${plan.level + 1} is notified at ${formatSeconds(plan.next)} unless acknowledged`;
  const note = spec.acknowledgementNote === undefined ? '' : `: ${spec.acknowledgementNote}`;
  const acknowledged: ConditionSpec = spec.acknowledged
    ? {
        type: CONDITION_ACKNOWLEDGED,
        status: 'True',
        reason: 'Acknowledged',
        message: `Acknowledged by ${spec.acknowledgedBy ?? 'a person'}${note}; ${ladder}.`,
      }
    : {
        type: CONDITION_ACKNOWLEDGED,
        status: 'False',
        reason: plan.resolved ? 'Resolved' : 'AwaitingAcknowledgement',
        message: `Not acknowledged: ${ladder}${plan.resolved ? '' : next}.`,
      };
  const ready: ConditionSpec = plan.resolved
    ? { type: CONDITION_READY, status: 'True', reason: 'Resolved', message: resolved.message }
    : {
        type: CONDITION_READY,
        status: 'False',
        reason: spec.acknowledged ? 'Acknowledged' : 'Open',
        message: spec.summary,
      };
  return [ready, resolved, acknowledged];
}

/**
 * What one existing Escalation should look like at `now`, given whether its cause is still there:
 * the level (climbing while unacknowledged), the roles notified, resolution (for good: a cause
 * that comes back opens a new Escalation), and when its retention ends. Pure.
 */
export function planEpisode(
  escalation: Escalation,
  cause: Cause | undefined,
  routing: Routing,
  now: number,
): EpisodePlan {
  const stored = escalation.status;
  const wasResolved = isResolved(escalation);
  const resolvedNow = !wasResolved && cause === undefined;
  const resolved = wasResolved || resolvedNow;
  const opened = openedAt(escalation, now);
  const levelInput = {
    levels: routing.levels,
    openedAt: opened,
    stored: stored?.level ?? 0,
    frozen: resolved || escalation.spec.acknowledged,
    now,
  };
  const level = Math.min(escalationLevel(levelInput), 5);
  const accountable = escalation.spec.accountableRole;
  const raised: RaisedLevel[] = [];
  for (let next = levelInput.stored + 1; next <= level; next++) {
    const step = routing.levels[next - 1];
    raised.push({ level: next, roles: step === undefined ? [] : levelRoles(step, accountable) });
  }
  const notified = [
    ...new Set([...(stored?.notifiedRoles ?? []), ...raised.flatMap((r) => r.roles)]),
  ];
  const resolvedAt = stored?.resolvedAt ?? (resolvedNow ? formatSeconds(now) : undefined);
  const resolvedMs = parseTime(resolvedAt);
  const expiresAt = resolvedMs === undefined ? undefined : resolvedMs + routing.retentionMs;
  const next = nextLevelAt(levelInput);
  const generation = escalation.metadata.generation;
  const lastNotifiedAt = raised.length > 0 ? formatSeconds(now) : stored?.lastNotifiedAt;
  const status: EscalationStatus = withObservedGeneration(generation, {
    level,
    ...(notified.length === 0 ? {} : { notifiedRoles: notified }),
    ...(lastNotifiedAt === undefined ? {} : { lastNotifiedAt }),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    conditions: mergeConditions(
      stored?.conditions,
      conditions(
        escalation,
        { level, resolved, total: routing.levels.length, next, expiresAt },
        notified,
      ),
      generation,
      now,
    ),
  });
  const acknowledgedNow =
    escalation.spec.acknowledged &&
    findCondition(stored?.conditions, CONDITION_ACKNOWLEDGED)?.status !== 'True';
  const respec =
    !resolved &&
    cause !== undefined &&
    (cause.severity !== escalation.spec.severity || cause.summary !== escalation.spec.summary)
      ? { severity: cause.severity, summary: cause.summary }
      : undefined;
  return {
    status,
    raised,
    resolvedNow,
    acknowledgedNow,
    resolved,
    spec: respec,
    nextLevelAt: resolved ? undefined : next,
    expiresAt,
  };
}
