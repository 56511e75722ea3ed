import { Counter, Gauge, type Registry } from 'prom-client';

export interface ReportMetrics {
  /** Writes of OpenReports by kind, operation and outcome. */
  readonly writes: Counter<'kind' | 'operation' | 'outcome'>;
  /** 1 while the kind's CRD is served, 0 while it is absent (the writer keeps going). */
  readonly available: Gauge<'kind'>;
  /** Results cut from reports by their bound, over all reports of the last round. */
  readonly omitted: Gauge;
  /** Reports found changed by someone else and written back. */
  readonly repairs: Counter<'kind'>;
}

const created = new WeakMap<Registry, ReportMetrics>();

/** The OpenReports writer's metrics, registered once per registry. */
export function reportMetrics(registry: Registry): ReportMetrics {
  const known = created.get(registry);
  if (known !== undefined) return known;
  const registers = [registry];
  const metrics: ReportMetrics = {
    writes: new Counter({
      name: 'oos_report_writes_total',
      help: 'OpenReports written by kind (Report, ClusterReport), operation (create, update, delete) and outcome (ok, error).',
      labelNames: ['kind', 'operation', 'outcome'],
      registers,
    }),
    available: new Gauge({
      name: 'oos_reports_crd_available',
      help: '1 while the OpenReports CRD of the kind is served, 0 while it is absent (nothing is written then).',
      labelNames: ['kind'],
      registers,
    }),
    omitted: new Gauge({
      name: 'oos_report_results_omitted',
      help: 'Results left out of the OpenReports by their size bound in the last round (summaries still count them).',
      registers,
    }),
    repairs: new Counter({
      name: 'oos_report_repairs_total',
      help: 'OpenReports oos wrote that someone else changed or deleted, written back by kind.',
      labelNames: ['kind'],
      registers,
    }),
  };
  created.set(registry, metrics);
  return metrics;
}
