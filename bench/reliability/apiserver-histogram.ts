/**
 * The apiserver's own view of the oos webhooks: its histogram
 * `apiserver_admission_webhook_admission_duration_seconds` for the webhooks whose name ends in
 * `oos.dev`, as cumulative buckets, the difference of two scrapes, and a quantile of it.
 */

const METRIC = 'apiserver_admission_webhook_admission_duration_seconds';

/** Cumulative counts by upper bound (seconds; `Infinity` for `+Inf`), summed over label sets. */
export type Buckets = ReadonlyMap<number, number>;

/** The oos webhooks' buckets in one scrape of the apiserver's /metrics. */
export function oosWebhookBuckets(text: string): Buckets {
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC}_bucket{`)) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    const name = /(?:^|,)name="([^"]*)"/.exec(labels)?.[1] ?? '';
    if (!name.endsWith('oos.dev')) continue;
    const le = /(?:^|,)le="([^"]*)"/.exec(labels)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    const count = Number(line.slice(line.lastIndexOf(' ') + 1));
    buckets.set(bound, (buckets.get(bound) ?? 0) + count);
  }
  return buckets;
}

/**
 * `after - before`; when the apiserver restarted between the two (a count went down), its
 * counters began again at zero, so `after` alone is the difference since the restart.
 */
export function bucketsDelta(before: Buckets, after: Buckets): { delta: Buckets; reset: boolean } {
  const reset = [...after].some(([bound, count]) => count < (before.get(bound) ?? 0));
  if (reset) return { delta: after, reset };
  return {
    delta: new Map([...after].map(([bound, count]) => [bound, count - (before.get(bound) ?? 0)])),
    reset,
  };
}

/** Calls counted (the `+Inf` bucket). */
export const calls = (buckets: Buckets): number => buckets.get(Infinity) ?? 0;

/**
 * The q-quantile in seconds, interpolated linearly inside its bucket as Prometheus'
 * `histogram_quantile` does (so it is an estimate within the bucket's bounds); the largest
 * finite bound when it falls in `+Inf`; NaN with no calls.
 */
export function histogramQuantile(buckets: Buckets, q: number): number {
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = calls(buckets);
  if (total === 0) return NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket === 0
        ? bound
        : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
