import { formatDuration } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import type { ReasonCode } from '../reasons.js';
import { formatTime, parseTime } from '../time.js';

/** How long something may run, and what to call the limit in messages. */
export interface Limit {
  readonly reason: ReasonCode;
  readonly field: string;
  readonly maxMs: number;
  readonly policyField: string;
}

/** Denies a time-bound object that runs longer than the policy allows, from `startMs`. */
export function checkDuration(
  subject: string,
  startMs: number,
  end: string,
  limit: Limit,
): Verdict | undefined {
  const endMs = parseTime(end);
  if (endMs === undefined || endMs - startMs <= limit.maxMs) return undefined;
  return {
    reason: limit.reason,
    message: `${subject} runs ${formatDuration(endMs - startMs)} from ${formatTime(startMs)}, longer than ${limit.policyField} ${formatDuration(limit.maxMs)} of the GovernancePolicy: set ${limit.field} to ${formatTime(startMs + limit.maxMs)} or earlier.`,
  };
}
