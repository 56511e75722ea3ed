/** OpenReports (openreports.io/v1alpha1) of the background audit, pure. */
export {
  ANNOTATION_RESULTS_OMITTED,
  buildReports,
  CLUSTER_REPORT_NAME,
  omittedOf,
  REPORT_NAME,
  type BuiltReports,
} from './build.js';
export { boundResults, DEFAULT_REPORT_LIMITS, summarize, type ReportLimits } from './bound.js';
export {
  OPENREPORTS_API_VERSION,
  OPENREPORTS_GROUP,
  OPENREPORTS_VERSION,
  REPORT_SOURCE,
  type ReportObject,
  type ReportOutcome,
  type ReportResult,
} from './openreports.js';
export { carryTimestamps } from './timestamps.js';
