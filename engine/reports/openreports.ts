/**
 * The OpenReports API (`openreports.io/v1alpha1`) as oos writes it: the shape of `Report`
 * (namespaced) and `ClusterReport` (cluster-scoped), after the published API types. Only what oos
 * fills in is typed; the CRDs the chart can install are in charts/oos/templates/openreports-crds.yaml.
 */

export const OPENREPORTS_GROUP = 'openreports.io';
export const OPENREPORTS_VERSION = 'v1alpha1';
export const OPENREPORTS_API_VERSION = `${OPENREPORTS_GROUP}/${OPENREPORTS_VERSION}`;

/** `source` of every report and result oos writes. */
export const REPORT_SOURCE = 'oos';

/** The outcome of one result, as OpenReports defines it. */
export type ReportOutcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';
export type ReportSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** An object reference (core/v1 ObjectReference, the fields oos sets). */
export interface ReportResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
}

/** `metav1.Timestamp`: when the result was found. */
export interface ReportTimestamp {
  readonly seconds: number;
  readonly nanos: number;
}

export interface ReportResult {
  readonly source: string;
  readonly policy: string;
  readonly rule: string;
  readonly category: string;
  readonly severity: ReportSeverity;
  readonly timestamp: ReportTimestamp;
  readonly result: ReportOutcome;
  readonly scored: boolean;
  readonly resources: readonly ReportResource[];
  readonly message: string;
  readonly properties: Readonly<Record<string, string>>;
}

export type ReportSummary = Readonly<Record<ReportOutcome, number>>;

/** What a Report and a ClusterReport have in common: everything but the kind and namespace. */
export interface ReportObject {
  readonly apiVersion: typeof OPENREPORTS_API_VERSION;
  readonly kind: 'Report' | 'ClusterReport';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly source: string;
  readonly scope?: ReportResource;
  readonly configuration: { readonly limits: { readonly maxResults: number } };
  readonly summary: ReportSummary;
  readonly results: readonly ReportResult[];
}

/** The order results are kept in when a report is cut to its bound: what needs action first. */
export const OUTCOMES: readonly ReportOutcome[] = ['fail', 'error', 'warn', 'skip', 'pass'];

/** The timestamp of an instant (ms since the epoch). */
export function timestampOf(ms: number): ReportTimestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}
