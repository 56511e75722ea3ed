import { CONDITION_RESOLVED, type Escalation, type EscalationStatus } from '../../api/index.js';
import { formatSeconds } from '../status/conditions.js';
import { foreignTimes } from '../status/foreign.js';
import { withObservedGeneration } from '../status/generation.js';
import { parseTime } from '../time.js';
import { isResolved, levelRoles, openedAt } from './episode.js';
import { dueLevels } from './level.js';
import type { Routing } from './routing.js';

/** What the controller itself wrote to one Escalation (kept in its memory, by uid). */
export interface EpisodeMemory {
  /** The highest level it notified. */
  readonly level: number;
  readonly notifiedRoles: readonly string[];
  /** When it resolved the escalation, or saw it resolved while the cause was gone. */
  readonly resolvedAt: number | undefined;
}

export interface TrustInput {
  /** The engine's own causes say the cause is present now. */
  readonly causePresent: boolean;
  /** The newest episode of its cause (only it can be the open one). */
  readonly newest: boolean;
  readonly memory: EpisodeMemory | undefined;
  readonly routing: Routing;
  readonly now: number;
}

/** The escalation with a status the controller may act on, and what was wrong with the stored one. */
export interface TrustedEpisode {
  readonly escalation: Escalation;
  readonly repairs: readonly string[];
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * The status of a stored Escalation, reduced to what the controller can trust: the status is the
 * controller's, but anyone who gets past admission (a webhook outage, a restore from backup, a
 * write before the rule) can write it, so it is checked against facts no one else can forge — the
 * engine's own causes, the creation time the apiserver stamped, the ladder of the routing policy,
 * and what this controller remembers writing:
 * - a resolution this controller never recorded is void when it wrote the escalation itself, or
 *   (without a memory, after a restart) when the cause is present on the newest episode: the
 *   escalation stays open (never deleted, never reopened anew, its clock still counts from its
 *   creation), or is resolved now if the cause is gone;
 * - a resolution time lies between the creation and now (this controller's own time wins);
 * - the level and the notified roles are what this controller remembers notifying; without a
 *   memory (after a restart) the level is never above what its ladder has made due since
 *   creation, and the notified roles are among those of the levels reached;
 * - a date-time the controller never writes (lowercase, offsets, fractions) is rewritten.
 * Pure; `repairs` says what was rewritten (an Event and a metric report it).
 */
export function trustEpisode(escalation: Escalation, input: TrustInput): TrustedEpisode {
  const { memory, routing, now } = input;
  const stored: EscalationStatus = escalation.status ?? {};
  const repairs: string[] = [];
  const opened = openedAt(escalation, now);
  let conditions = stored.conditions;
  let resolvedAt: string | undefined;
  if (isResolved(escalation)) {
    // Unrecorded: this controller wrote the escalation and never resolved it, or (without a
    // memory, after a restart) the engine's causes contradict the resolution.
    const unrecorded =
      memory === undefined ? input.causePresent && input.newest : memory.resolvedAt === undefined;
    if (unrecorded) {
      repairs.push(
        input.causePresent
          ? 'it claimed the escalation resolved while its cause is present, which the controller never recorded'
          : 'it claimed a resolution the controller never recorded (the controller resolves it now)',
      );
      conditions = conditions?.filter((c) => c.type !== CONDITION_RESOLVED);
    } else {
      const claimed = parseTime(stored.resolvedAt) ?? now;
      const at = memory?.resolvedAt ?? clamp(claimed, opened, now);
      resolvedAt = formatSeconds(at);
      if (stored.resolvedAt !== undefined && parseTime(stored.resolvedAt) !== at) {
        repairs.push(`resolvedAt ${stored.resolvedAt} is not when the cause was found gone`);
      }
    }
  }
  const level = stored.level ?? 0;
  const due = dueLevels(routing.levels, opened, now);
  // What this controller remembers notifying is the truth; without a memory (a restart), the
  // stored level is believed only as far as the ladder has made levels due.
  const trustedLevel = memory?.level ?? Math.min(level, due);
  if (trustedLevel !== level) {
    repairs.push(`level ${String(level)} is not the level notified (${String(trustedLevel)})`);
  }
  const allowed = new Set(
    routing.levels
      .slice(0, trustedLevel)
      .flatMap((step) => levelRoles(step, escalation.spec.accountableRole)),
  );
  const notified = memory?.notifiedRoles ?? [
    ...new Set((stored.notifiedRoles ?? []).filter((role) => allowed.has(role))),
  ];
  const storedRoles = stored.notifiedRoles ?? [];
  if (notified.length !== storedRoles.length || notified.some((r) => !storedRoles.includes(r))) {
    repairs.push('its notified roles are not those of the levels reached');
  }
  const lastMs = parseTime(stored.lastNotifiedAt);
  const lastNotifiedAt =
    lastMs === undefined ? undefined : formatSeconds(clamp(lastMs, opened, now));
  const times = foreignTimes(stored);
  if (times.length > 0) {
    repairs.push(`date-times oos never writes at ${times.join(', ')}`);
    conditions = undefined;
  } else if (lastNotifiedAt !== stored.lastNotifiedAt) {
    repairs.push('lastNotifiedAt lies outside the life of the escalation');
  }
  if (repairs.length === 0) return { escalation, repairs };
  const status: EscalationStatus = withObservedGeneration(stored.observedGeneration, {
    level: trustedLevel,
    ...(notified.length === 0 ? {} : { notifiedRoles: [...notified] }),
    ...(lastNotifiedAt === undefined ? {} : { lastNotifiedAt }),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    ...(conditions === undefined ? {} : { conditions }),
  });
  return { escalation: { ...escalation, status }, repairs };
}
