/** How the register writes times and durations for people. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `29 d 12 h`, `5 h 3 m`, `4 m`, `under a minute`; `expired` at or below zero. */
export function formatRemaining(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'forever' : 'expired';
  if (ms <= 0) return 'expired';
  if (ms < MINUTE) return 'under a minute';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} m` : `${hours} h`;
  return `${minutes} m`;
}

/** `2027-01-29 00:00 UTC` from an RFC 3339 instant (as the engine formats them). */
export function formatInstant(rfc3339: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(rfc3339);
  return match === null ? rfc3339 : `${match[1] ?? ''} ${match[2] ?? ''} UTC`;
}

/** `1 delegation`, `2 delegations`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${String(n)} ${n === 1 ? noun : plural}`;
}
