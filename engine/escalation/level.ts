import type { ResolvedLevel } from './routing.js';

/**
 * How many levels are due `now` for an escalation opened at `openedAt`: the levels in order, up to
 * the first whose `after` has not passed (a ladder is climbed one rung at a time).
 */
export function dueLevels(
  levels: readonly Pick<ResolvedLevel, 'afterMs'>[],
  openedAt: number,
  now: number,
): number {
  const first = levels.findIndex((level) => openedAt + level.afterMs > now);
  return first < 0 ? levels.length : first;
}

export interface LevelInput {
  readonly levels: readonly Pick<ResolvedLevel, 'afterMs'>[];
  readonly openedAt: number;
  /** The level already notified (status.level). */
  readonly stored: number;
  /** Acknowledged or resolved: the ladder stops where it is. */
  readonly frozen: boolean;
  readonly now: number;
}

/**
 * The level an escalation stands at: it climbs while unacknowledged, one level per `after` reached
 * (counted from when it opened), never goes down, and stops when acknowledged or resolved.
 */
export function escalationLevel(input: LevelInput): number {
  if (input.frozen) return input.stored;
  return Math.max(input.stored, dueLevels(input.levels, input.openedAt, input.now));
}

/** When the next level falls due, or undefined when the ladder is climbed or stopped. */
export function nextLevelAt(input: LevelInput): number | undefined {
  if (input.frozen) return undefined;
  const level = escalationLevel(input);
  const next = input.levels[level];
  return next === undefined ? undefined : input.openedAt + next.afterMs;
}
