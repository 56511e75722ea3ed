import { OUTCOMES, type ReportResult, type ReportSummary } from './openreports.js';
import { compareText } from '../text.js';

/** How large one report may grow (etcd keeps objects up to 1.5 MiB; the apiserver takes 3 MiB). */
export interface ReportLimits {
  /** Most results in one report. */
  readonly maxResults: number;
  /** Most bytes of results (UTF-8 JSON) in one report. */
  readonly maxBytes: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = { maxResults: 1000, maxBytes: 1_000_000 };

const encoder = new TextEncoder();

/** What needs action first (fail, error, warn, skip, pass), then by kind, namespace and name. */
export function compareResults(a: ReportResult, b: ReportResult): number {
  const byOutcome = OUTCOMES.indexOf(a.result) - OUTCOMES.indexOf(b.result);
  if (byOutcome !== 0) return byOutcome;
  const [x, y] = [a.resources[0], b.resources[0]];
  return (
    compareText(x?.kind ?? '', y?.kind ?? '') ||
    compareText(x?.namespace ?? '', y?.namespace ?? '') ||
    compareText(x?.name ?? '', y?.name ?? '') ||
    compareText(a.rule, b.rule)
  );
}

/** Counts of every result, including those cut from the report. */
export function summarize(results: readonly ReportResult[]): ReportSummary {
  const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const result of results) summary[result.result] += 1;
  return summary;
}

/**
 * The results in a deterministic order, cut to the limits: failures are kept first, so a report
 * that overflows drops passes before anything that needs action. `omitted` says how many were cut.
 */
export function boundResults(
  results: readonly ReportResult[],
  limits: ReportLimits,
): { readonly kept: readonly ReportResult[]; readonly omitted: number } {
  const sorted = [...results].sort(compareResults);
  const kept: ReportResult[] = [];
  let bytes = 0;
  for (const result of sorted) {
    if (kept.length >= limits.maxResults) break;
    const size = encoder.encode(JSON.stringify(result)).length + 1;
    if (bytes + size > limits.maxBytes) break;
    bytes += size;
    kept.push(result);
  }
  return { kept, omitted: sorted.length - kept.length };
}
