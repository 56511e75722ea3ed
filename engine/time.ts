/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An instant as RFC 3339 in UTC, without milliseconds when they are zero. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'forever' : 'the beginning of time';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
