import { failed, type LoadRecord } from './load-types.js';

export interface LoadSummary {
  readonly sent: number;
  readonly failed: number;
  /** Requests whose expected verdict was allowed / denied. */
  readonly allowedExpected: number;
  readonly deniedExpected: number;
  /** Offered rate: requests over the span from the first to the last send. */
  readonly rate: number;
  /** Answered rate: requests over the span from the first send to the last answer. */
  readonly answeredRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers that carried oos's warning of a decision on stale governance. */
  readonly staleWarned: number;
  /** The distinct failures (error text without numbers), with how often each happened. */
  readonly failures: readonly { readonly error: string; readonly count: number }[];
}

/**
 * An error without its numbers, its start and its end (the apiserver puts the cause last:
 * `... failed to call webhook: Post "...": context deadline exceeded`).
 */
function gist(error: string): string {
  const text = error.replace(/\d+/g, 'N');
  return text.length <= 240 ? text : `${text.slice(0, 100)} … ${text.slice(-130)}`;
}

/** The q-quantile of ascending `sorted` values (nearest rank); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? NaN;
}

/** What a scenario's records add up to; `exclude` leaves out records (e.g. while the apiserver is down). */
export function summarize(
  records: readonly LoadRecord[],
  exclude: (r: LoadRecord) => boolean = () => false,
): LoadSummary {
  const kept = records.filter((r) => !exclude(r));
  const latencies = kept.map((r) => r.latencyMs).sort((a, b) => a - b);
  const bad = kept.filter(failed);
  const kinds = new Map<string, number>();
  for (const r of bad) {
    const error = `${r.case}: ${r.actual}${r.error === undefined ? '' : ` (${gist(r.error)})`}`;
    kinds.set(error, (kinds.get(error) ?? 0) + 1);
  }
  const times = kept.map((r) => r.at);
  const first = times.length === 0 ? 0 : Math.min(...times);
  const span = times.length < 2 ? 0 : (Math.max(...times) - first) / 1000;
  const lastAnswer = Math.max(...kept.map((r) => r.at + r.latencyMs));
  const answeredSpan = kept.length < 2 ? 0 : (lastAnswer - first) / 1000;
  return {
    sent: kept.length,
    failed: bad.length,
    allowedExpected: kept.filter((r) => r.expected === 'allowed').length,
    deniedExpected: kept.filter((r) => r.expected === 'denied').length,
    rate: span === 0 ? 0 : (kept.length - 1) / span,
    answeredRate: answeredSpan === 0 ? 0 : kept.length / answeredSpan,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? NaN,
    staleWarned: kept.filter((r) => r.stale === true).length,
    failures: [...kinds]
      .map(([error, count]) => ({ error, count }))
      .sort((a, b) => b.count - a.count),
  };
}
