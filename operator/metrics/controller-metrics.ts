import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PartedGauge } from './parted-gauge.js';

/** Reconcile latency buckets: they include 0.005, 0.025 and 0.1 s like every oos histogram. */
export const RECONCILE_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export interface ControllerMetrics {
  readonly leader: Gauge;
  readonly capabilities: Gauge<'autonomy' | 'risk_tier' | 'ready'>;
  readonly vacantRoles: Gauge;
  readonly delegations: Gauge<'state'>;
  readonly openEscalations: Gauge<'trigger' | 'severity' | 'level'>;
  readonly escalationsTotal: Counter<'trigger' | 'severity'>;
  readonly reconcileDuration: Histogram<'kind'>;
  readonly reconcileErrors: Counter<'kind'>;
  readonly roundDuration: Histogram;
  readonly roundBusy: Histogram;
  readonly queueLength: Gauge;
  /** Parted by namespace: a series per capability of each namespace. */
  readonly aiWorkloads: PartedGauge;
  readonly unanchoredWorkloads: Gauge;
  readonly notifications: Counter<'receiver' | 'outcome'>;
  readonly events: Counter<'outcome'>;
  readonly stopActions: Counter<'action'>;
  readonly invalidObjects: Gauge<'kind' | 'part'>;
  readonly statusWrites: Counter<'kind'>;
  readonly statusRepairs: Counter<'kind'>;
  /** Parted by namespace. */
  readonly exemptWorkloads: PartedGauge;
  readonly workloadKinds: Gauge<'kind' | 'state'>;
  readonly interactions: Gauge<'direction' | 'state'>;
  readonly networkPolicyWrites: Counter<'action'>;
  readonly networkPolicyRepairs: Counter<'cause'>;
}

const created = new WeakMap<Registry, ControllerMetrics>();

function build(registry: Registry): ControllerMetrics {
  const registers = [registry];
  return {
    leader: new Gauge({
      name: 'oos_leader',
      help: '1 on the replica that holds the controller lease (and runs the controller), else 0.',
      registers,
    }),
    capabilities: new Gauge({
      name: 'oos_capabilities',
      help: 'Capabilities by autonomy, risk tier and Ready condition status.',
      labelNames: ['autonomy', 'risk_tier', 'ready'],
      registers,
    }),
    vacantRoles: new Gauge({
      name: 'oos_accountable_roles_vacant',
      help: 'AccountableRoles without a current holder.',
      registers,
    }),
    delegations: new Gauge({
      name: 'oos_delegations',
      help: 'Delegations by state (NotYetValid, Active, Expired, Revoked).',
      labelNames: ['state'],
      registers,
    }),
    openEscalations: new Gauge({
      name: 'oos_escalations_open',
      help: 'Open (unresolved) Escalations by trigger, severity and level.',
      labelNames: ['trigger', 'severity', 'level'],
      registers,
    }),
    escalationsTotal: new Counter({
      name: 'oos_escalations_total',
      help: 'Escalations opened by this replica, by trigger and severity.',
      labelNames: ['trigger', 'severity'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'oos_reconcile_duration_seconds',
      help: 'Time to reconcile one key, by kind (status of each oos kind, Escalation, stop button).',
      labelNames: ['kind'],
      buckets: [...RECONCILE_DURATION_BUCKETS],
      registers,
    }),
    roundDuration: new Histogram({
      name: 'oos_controller_round_duration_seconds',
      help: 'Time from the start of a round (plan of every status, escalation and stop step) until its changed keys are queued.',
      buckets: [...RECONCILE_DURATION_BUCKETS],
      registers,
    }),
    roundBusy: new Histogram({
      name: 'oos_controller_round_busy_seconds',
      help: 'Event-loop time a round held (its slices, summed): the rest went to admission and I/O in between.',
      buckets: [...RECONCILE_DURATION_BUCKETS],
      registers,
    }),
    queueLength: new Gauge({
      name: 'oos_controller_queue_length',
      help: 'Keys waiting in or being processed by the controller work queue.',
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'oos_reconcile_errors_total',
      help: 'Reconciles that failed and were retried with backoff, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    aiWorkloads: new PartedGauge(
      'oos_ai_workloads',
      'Running AI workloads found by the background audit, by namespace, capability label (empty: none) and whether they are anchored.',
    ),
    unanchoredWorkloads: new Gauge({
      name: 'oos_unanchored_ai_workloads',
      help: 'Running AI workloads that fail the accountability chain, found by the background audit.',
      registers,
    }),
    notifications: new Counter({
      name: 'oos_escalation_notifications_total',
      help: 'Escalation notifications to receivers, by receiver (alertmanager, webhook) and outcome (delivered, retried, failed).',
      labelNames: ['receiver', 'outcome'],
      registers,
    }),
    events: new Counter({
      name: 'oos_events_total',
      help: 'Kubernetes Events written by the controller, by outcome (created, updated, dropped by the rate limit, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    stopActions: new Counter({
      name: 'oos_stop_actions_total',
      help: 'Steps of the stop button applied to workloads (remember, scale, forget, suspend, resume).',
      labelNames: ['action'],
      registers,
    }),
    invalidObjects: new Gauge({
      name: 'oos_governance_invalid_objects',
      help: 'Objects of the oos kinds the cluster holds but their schema refuses, by kind and part (status: the spec is used and the status rewritten; spec: the last valid version is kept, or none if it never was valid).',
      labelNames: ['kind', 'part'],
      registers,
    }),
    statusWrites: new Counter({
      name: 'oos_status_writes_total',
      help: 'Statuses of the oos kinds the controller wrote (only when the planned status differs from the stored one), by kind.',
      labelNames: ['kind'],
      registers,
    }),
    statusRepairs: new Counter({
      name: 'oos_status_repairs_total',
      help: 'Statuses of the oos kinds found written by someone other than the controller and rewritten from the facts, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    exemptWorkloads: new PartedGauge(
      'oos_exempt_ai_workloads',
      'Running AI workloads admitted without an accountability chain, found by the background audit, by namespace and what exempts them (ExemptNamespace or Exemption).',
    ),
    workloadKinds: new Gauge({
      name: 'oos_workload_kinds',
      help: 'Workload kinds the controller audits, by state: 1 for the state each kind is in (served, absent = not installed, forbidden = RBAC does not let the operator read it, error = discovery failed).',
      labelNames: ['kind', 'state'],
      registers,
    }),
    interactions: new Gauge({
      name: 'oos_interactions',
      help: 'Declared interactions of the Capabilities (status.interactions entries), by direction (Calls, AcceptsFrom, Egress) and state (Agreed, WaitingForPeer, PortsNotAccepted, PeerNotFound, Forbidden).',
      labelNames: ['direction', 'state'],
      registers,
    }),
    networkPolicyWrites: new Counter({
      name: 'oos_network_policy_writes_total',
      help: 'Writes of the NetworkPolicies oos owns for Closed capabilities, by action (apply: created or changed, delete: the capability became Open).',
      labelNames: ['action'],
      registers,
    }),
    networkPolicyRepairs: new Counter({
      name: 'oos_network_policy_repairs_total',
      help: 'NetworkPolicies oos owns that someone else changed (cause changed) or deleted (cause deleted), written back by the controller.',
      labelNames: ['cause'],
      registers,
    }),
  };
}

/**
 * The controller's metrics on `registry`, created once per registry: the controller starts and
 * stops with leadership, its metrics stay registered.
 */
export function controllerMetrics(registry: Registry): ControllerMetrics {
  let metrics = created.get(registry);
  if (metrics === undefined) {
    metrics = build(registry);
    created.set(registry, metrics);
  }
  return metrics;
}

/**
 * `registry`'s text in the Prometheus format with the controller's parted gauges after it (kept
 * as text, outside the registry: {@link PartedGauge}), in UTF-8. Each piece is written into the
 * bytes as it is: the gauges' text (about 400 KiB at 5,000 capabilities) is not copied into a
 * string of the whole first.
 */
export async function controllerMetricsBytes(registry: Registry): Promise<Uint8Array<ArrayBuffer>> {
  const { aiWorkloads, exemptWorkloads } = controllerMetrics(registry);
  return utf8([await registry.metrics(), '\n', aiWorkloads.text(), '\n', exemptWorkloads.text()]);
}

/** The pieces one after the other in UTF-8. */
function utf8(pieces: readonly string[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  const bytes = new Uint8Array(length);
  const encoder = new TextEncoder();
  let offset = 0;
  for (const piece of pieces) offset += encoder.encodeInto(piece, bytes.subarray(offset)).written;
  return bytes;
}
