import { sameJson } from '../json.js';
import type { ReportObject, ReportResult } from './openreports.js';

function resultKey(result: ReportResult): string {
  const resource = result.resources[0];
  return `${result.policy}/${resource?.kind ?? ''}/${resource?.namespace ?? ''}/${resource?.name ?? ''}`;
}

function sameButTime(a: ReportResult, b: ReportResult): boolean {
  return sameJson({ ...a, timestamp: undefined }, { ...b, timestamp: undefined });
}

/**
 * `next` with the timestamp of every result that did not change since `previous` (the report oos
 * last wrote itself, never one read back from the cluster: a forged timestamp is not carried). A
 * result's timestamp then says since when it holds, and a report whose results did not change
 * compares equal, so it is not written again.
 */
export function carryTimestamps(
  previous: ReportObject | undefined,
  next: ReportObject,
): ReportObject {
  if (previous === undefined) return next;
  const before = new Map(previous.results.map((result) => [resultKey(result), result]));
  const results = next.results.map((result) => {
    const old = before.get(resultKey(result));
    return old === undefined || !sameButTime(old, result)
      ? result
      : { ...result, timestamp: old.timestamp };
  });
  return { ...next, results };
}
