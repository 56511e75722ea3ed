import { parseApiDateTime } from '../api/date-time.js';

/**
 * Milliseconds since the epoch of a date-time as the apiserver accepts it (`format: date-time`:
 * lowercase `t` and `z` and the other variants of api/date-time.ts), or undefined when it is not
 * one.
 */
export function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return parseApiDateTime(text);
}

/** An instant as RFC 3339 in UTC, without milliseconds when they are zero. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'forever' : 'the beginning of time';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
