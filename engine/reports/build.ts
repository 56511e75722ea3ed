import type { Finding } from '../escalation/audit.js';
import { LABEL_MANAGED_BY, MANAGED_BY_OOS } from '../escalation/name.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { boundResults, DEFAULT_REPORT_LIMITS, summarize, type ReportLimits } from './bound.js';
import {
  OPENREPORTS_API_VERSION,
  REPORT_SOURCE,
  type ReportObject,
  type ReportResource,
  type ReportResult,
} from './openreports.js';
import { roleResult, tiersByRole } from './role-result.js';
import { workloadResult } from './workload-result.js';

/** Name of the Report oos writes in each namespace with AI workloads. */
export const REPORT_NAME = 'oos-accountability';
/** Name of the ClusterReport of the AccountableRoles. */
export const CLUSTER_REPORT_NAME = 'oos-accountable-roles';
/** How many results the bound cut from a report (absent when none). */
export const ANNOTATION_RESULTS_OMITTED = 'oos.dev/results-omitted';

export interface BuiltReports {
  /** One Report per namespace with running AI workloads, by namespace name order. */
  readonly reports: readonly ReportObject[];
  /** The ClusterReport of the AccountableRoles; undefined when there is none. */
  readonly cluster: ReportObject | undefined;
}

function report(
  kind: 'Report' | 'ClusterReport',
  name: string,
  namespace: string | undefined,
  scope: ReportResource | undefined,
  results: readonly ReportResult[],
  limits: ReportLimits,
): ReportObject {
  const { kept, omitted } = boundResults(results, limits);
  return {
    apiVersion: OPENREPORTS_API_VERSION,
    kind,
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY_OOS },
      annotations: omitted === 0 ? {} : { [ANNOTATION_RESULTS_OMITTED]: String(omitted) },
    },
    source: REPORT_SOURCE,
    ...(scope === undefined ? {} : { scope }),
    configuration: { limits: { maxResults: limits.maxResults } },
    summary: summarize(results),
    results: kept,
  };
}

/** How many results a report left out (its {@link ANNOTATION_RESULTS_OMITTED}). */
export function omittedOf(report: ReportObject): number {
  return Number(report.metadata.annotations[ANNOTATION_RESULTS_OMITTED] ?? 0);
}

/**
 * The OpenReports of one audit round: a Report per namespace (one result per running AI workload)
 * and a ClusterReport (one result per AccountableRole). Pure and deterministic: the same findings,
 * snapshot and instant give the same reports, results in the same order.
 */
export function buildReports(
  findings: readonly Finding[],
  snapshot: GovernanceSnapshot,
  now: Date,
  limits: ReportLimits = DEFAULT_REPORT_LIMITS,
): BuiltReports {
  const at = now.getTime();
  const byNamespace = new Map<string, ReportResult[]>();
  for (const finding of findings) {
    const namespace = finding.workload.namespace ?? '';
    const list = byNamespace.get(namespace) ?? [];
    list.push(workloadResult(finding, snapshot, at));
    byNamespace.set(namespace, list);
  }
  const reports = [...byNamespace.keys()]
    .sort()
    .map((namespace) =>
      report(
        'Report',
        REPORT_NAME,
        namespace,
        { apiVersion: 'v1', kind: 'Namespace', name: namespace },
        byNamespace.get(namespace) ?? [],
        limits,
      ),
    );
  const tiers = tiersByRole(snapshot);
  const roles = [...snapshot.roles.values()].map((role) =>
    roleResult(role, tiers.get(role.name), snapshot, at),
  );
  return {
    reports,
    cluster:
      roles.length === 0
        ? undefined
        : report('ClusterReport', CLUSTER_REPORT_NAME, undefined, undefined, roles, limits),
  };
}
