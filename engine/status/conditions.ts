import type { Condition, ConditionStatus } from '../../api/index.js';
import { sameJson } from '../json.js';
import { flat } from '../text.js';

/** A condition as a rule concludes it, before the clock and the generation are stamped on it. */
export interface ConditionSpec {
  readonly type: string;
  readonly status: ConditionStatus;
  /** CamelCase, stable API. */
  readonly reason: string;
  readonly message: string;
}

/** An instant as RFC 3339 in whole seconds (metav1.Time precision). */
export function formatSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // A round stamps thousands of conditions with the same instant: one string, not thousands.
  if (seconds !== lastFormatted.seconds) {
    lastFormatted = {
      seconds,
      text: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'),
    };
  }
  return lastFormatted.text;
}

let lastFormatted = { seconds: NaN, text: '' };

/**
 * The conditions to store: `wanted`, in its order, each keeping the `lastTransitionTime` of the
 * previous condition of its type when its status did not change (a new reason or message is not a
 * transition), else `now`.
 */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  wanted: readonly ConditionSpec[],
  generation: number | undefined,
  now: number,
): Condition[] {
  return wanted.map((spec) => {
    const before = previous?.find((condition) => condition.type === spec.type);
    const lastTransitionTime =
      before?.status === spec.status ? before.lastTransitionTime : formatSeconds(now);
    return {
      type: spec.type,
      status: spec.status,
      reason: spec.reason,
      message: flat(spec.message),
      lastTransitionTime,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
  });
}

/** The condition of `type`, if any. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** `True` for true, `False` for false. */
export function conditionStatus(value: boolean): ConditionStatus {
  return value ? 'True' : 'False';
}

/**
 * Whether a status must be written: anything differs from what is stored (absent and undefined
 * fields are the same). The controller writes only when this is true.
 */
export function statusChanged(stored: unknown, wanted: unknown): boolean {
  return !sameJson(stored ?? {}, wanted);
}
