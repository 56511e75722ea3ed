import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The apiserver's own webhook latency buckets include 0.005, 0.025 and 0.1 s; so do ours. */
export const ADMISSION_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

export type AdmissionOutcome = 'allow' | 'warn' | 'deny' | 'error';

export interface AdmissionMetrics {
  readonly reviews: Counter<'kind' | 'operation' | 'decision' | 'reason'>;
  readonly duration: Histogram<'kind' | 'operation'>;
  readonly cacheSynced: Gauge;
  readonly staleness: Gauge;
  /** TLS connections accepted, and refused past the connection limit. */
  readonly connections: Counter<'outcome'>;
  readonly connectionsOpen: Gauge;
  /** Decisions made on stale governance, by what was done: warned, or denied. */
  readonly staleDecisions: Counter<'action'>;
}

/** The admission server's metrics, registered on `registry` (one registry per process). */
export function createAdmissionMetrics(
  registry: Registry,
  governanceSynced: () => boolean,
  governanceAgeSeconds: () => number = () => 0,
): AdmissionMetrics {
  return {
    reviews: new Counter({
      name: 'oos_admission_reviews_total',
      help: 'AdmissionReviews answered, by object kind, operation, decision (allow, warn, deny, error) and reason code.',
      labelNames: ['kind', 'operation', 'decision', 'reason'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'oos_admission_review_duration_seconds',
      help: 'Time to answer one AdmissionReview, from the parsed request to the response.',
      labelNames: ['kind', 'operation'],
      buckets: [...ADMISSION_DURATION_BUCKETS],
      registers: [registry],
    }),
    staleness: new Gauge({
      name: 'oos_governance_staleness_seconds',
      help: 'How long the oldest interrupted watch of the governance cache has been down (0 while every watch is current): admission decides on governance at most this old.',
      registers: [registry],
      collect() {
        this.set(governanceAgeSeconds());
      },
    }),
    cacheSynced: new Gauge({
      name: 'oos_governance_cache_synced',
      help: '1 when the governance informer cache has listed every watched kind, else 0.',
      registers: [registry],
      collect() {
        this.set(governanceSynced() ? 1 : 0);
      },
    }),
    connections: new Counter({
      name: 'oos_admission_connections_total',
      help: 'TLS connections to the admission server, by outcome: accepted, or dropped past the connection limit. The apiserver keeps its connections open: a steady climb means connections are being reopened.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    connectionsOpen: new Gauge({
      name: 'oos_admission_connections_open',
      help: 'TLS connections to the admission server open now.',
      registers: [registry],
    }),
    staleDecisions: new Counter({
      name: 'oos_admission_stale_decisions_total',
      help: 'Admission decisions made while a governance watch had been interrupted longer than --max-governance-staleness, by action: warned (allowed or denied with a warning) or denied (--stale-governance deny).',
      labelNames: ['action'],
      registers: [registry],
    }),
  };
}
