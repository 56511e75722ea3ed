/**
 * The pure arithmetic of the admission soak (`admission-soak.ts`): percentiles, the slope of a
 * memory series, and the schedule of an open-loop load. No I/O, no clock.
 */

/** The `p`th percentile (0–100) of ascending `sorted` values (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((sorted.length * p) / 100);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export interface Point {
  /** Seconds since the start. */
  readonly t: number;
  readonly value: number;
}

/**
 * The least-squares slope of `points` in value per minute: how fast a memory series grows.
 * Zero with fewer than two distinct times.
 */
export function slopePerMinute(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sumT = 0;
  let sumV = 0;
  for (const { t, value } of points) {
    sumT += t;
    sumV += value;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let num = 0;
  let den = 0;
  for (const { t, value } of points) {
    num += (t - meanT) * (value - meanV);
    den += (t - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

/**
 * How many requests an open-loop load at `rate` per second owes between `fromMs` and `toMs`
 * (milliseconds since its start): the send times are `i * 1000 / rate`, whatever the timer's
 * jitter, so a late tick sends what it owes and latency is measured from the planned time.
 */
export function dueBetween(
  rate: number,
  fromMs: number,
  toMs: number,
): { first: number; count: number } {
  const first = Math.ceil((fromMs * rate) / 1000);
  const end = Math.ceil((toMs * rate) / 1000);
  return { first, count: Math.max(0, end - first) };
}

/** The planned send time (ms since the start) of request `i` at `rate` per second. */
export function plannedAt(rate: number, i: number): number {
  return (i * 1000) / rate;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** p50, p99 and max of unsorted latencies (sorts a copy). */
export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The resident set size in bytes from the text of `/proc/<pid>/status` (`VmRSS`, in kB). */
export function rssFromStatus(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}
