import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { API_VERSION, type Escalation } from '../../api/index.js';
import { policyKinds } from '../policy-workloads.js';
import { isResolved } from '../../engine/escalation/index.js';
import { planRoundSteps } from '../../engine/plan/index.js';
import type { InvalidObject } from '../cache/schema-gate.js';
import type { GovernanceCache } from '../cache/governance-cache.js';
import type { KubeRest } from '../kube/rest.js';
import { controllerMetrics, type ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanContext } from './context.js';
import { EscalationWriter } from './escalations.js';
import { NetworkPolicyWriter, policyQueueKey } from './network-policies.js';
import { EventRecorder } from './events/recorder.js';
import { WriteOverlay } from './overlay.js';
import { WorkQueue } from './queue.js';
import { AlertmanagerReceiver } from './receivers/alertmanager.js';
import type { Receiver } from './receivers/notification.js';
import { WebhookReceiver } from './receivers/webhook.js';
import { GaugeExport } from './gauge-export.js';
import { StatusWriter, statusKey, type OosObject } from './status.js';
import { StopButton, stopKey } from './stop-button.js';
import { WorkloadInformers } from './workloads.js';
import { ReportWriter } from '../reports/writer.js';

export interface ControllerConfig {
  /** This replica, for Events' reportingInstance. */
  readonly identity: string;
  /** How often the background audit runs besides on changes (and open alerts are re-sent). */
  readonly auditIntervalMs: number;
  /** Alertmanager base URL (e.g. http://127.0.0.1:9093), if any. */
  readonly alertmanagerUrl?: string | undefined;
  /** A URL that receives every escalation step as JSON, if any. */
  readonly escalationWebhookUrl?: string | undefined;
  readonly workers?: number;
  /** Write the audit's results as OpenReports (--reports). */
  readonly reports?: boolean;
}

export interface ControllerDeps {
  readonly rest: KubeRest;
  readonly cache: GovernanceCache;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly config: ControllerConfig;
}

export interface RunningController {
  stop(): Promise<void>;
}

/** The longest a wake-up timer is set for; the plan simply runs again then. */
const MAX_TIMER_MS = 3_600_000;
/** Bursts of watch events (Pods above all) are coalesced into one plan. */
const PLAN_DEBOUNCE_MS = 100;
/** The longest a round holds the event loop before it lets admission and I/O run. */
const SLICE_MS = 5;

class Controller {
  private readonly metrics: ControllerMetrics;
  private readonly logger: Logger;
  private readonly events: EventRecorder;
  private readonly receivers: Receiver[] = [];
  private readonly workloads: WorkloadInformers;
  private readonly queue: WorkQueue;
  private readonly statuses: StatusWriter;
  private readonly escalations: EscalationWriter;
  private readonly stopButton: StopButton;
  private readonly policies: NetworkPolicyWriter;
  private readonly escalationOverlay = new WriteOverlay<Escalation>();
  private readonly reports: ReportWriter | undefined;
  private context: PlanContext | undefined;
  private planTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly auditTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeStatus: () => void;
  private readonly unshareStatuses: () => void;
  private refreshDue = true;
  /** A round is running; `again` asks for another once it ends. */
  private running = false;
  private again = false;
  private readonly invalidReported = new Set<string>();
  /** The gauges as the last round exported them (gauge-export.ts). */
  private readonly gauges = new GaugeExport();
  private stopped = false;

  constructor(private readonly deps: ControllerDeps) {
    const { rest, config } = deps;
    this.logger = deps.logger.child({ component: 'controller' });
    this.metrics = controllerMetrics(deps.registry);
    this.events = new EventRecorder({
      rest,
      logger: this.logger,
      instance: config.identity,
      clock: deps.clock,
      onOutcome: (outcome) => {
        this.metrics.events.inc({ outcome });
      },
    });
    const outcome = (receiver: string) => (result: string) => {
      this.metrics.notifications.inc({ receiver, outcome: result });
    };
    if (config.alertmanagerUrl !== undefined) {
      this.receivers.push(
        new AlertmanagerReceiver({
          url: config.alertmanagerUrl,
          logger: this.logger,
          validForMs: Math.max(3 * config.auditIntervalMs, 300_000),
          clock: deps.clock,
          onOutcome: outcome('alertmanager'),
        }),
      );
    }
    if (config.escalationWebhookUrl !== undefined) {
      this.receivers.push(
        new WebhookReceiver({
          url: config.escalationWebhookUrl,
          logger: this.logger,
          onOutcome: outcome('webhook'),
        }),
      );
    }
    this.workloads = new WorkloadInformers({
      rest,
      logger: this.logger,
      metrics: this.metrics,
      onChange: () => {
        this.requestPlan();
      },
    });
    this.queue = new WorkQueue({
      workers: config.workers ?? 8,
      process: (key) => this.process(key),
      onSettled: (length) => {
        this.metrics.queueLength.set(length);
      },
      onError: (key, error, retryInMs) => {
        this.metrics.reconcileErrors.inc({ kind: kindOfKey(key) });
        this.logger.warn({ key, err: String(error), retryInMs }, 'reconcile failed; retrying');
      },
    });
    this.statuses = new StatusWriter({
      rest,
      logger: this.logger,
      events: this.events,
      overlay: new WriteOverlay<OosObject>(),
      metrics: this.metrics,
      latest: (key) => {
        const [kind = '', namespace = '', ...name] = key.split('/');
        return deps.cache.object(kind, namespace === '' ? undefined : namespace, name.join('/')) as
          OosObject | undefined;
      },
    });
    this.stopButton = new StopButton({
      rest,
      logger: this.logger,
      events: this.events,
      workloads: this.workloads,
      metrics: this.metrics,
    });
    this.escalations = new EscalationWriter({
      rest,
      logger: this.logger,
      events: this.events,
      overlay: this.escalationOverlay,
      receivers: this.receivers,
      metrics: this.metrics,
      requeue: () => {
        this.requestPlan(1000);
      },
    });
    this.policies = new NetworkPolicyWriter({
      rest,
      logger: this.logger,
      events: this.events,
      metrics: this.metrics,
      clock: deps.clock,
      onDrift: () => {
        this.requestPlan();
      },
    });
    this.reports = config.reports
      ? new ReportWriter({
          rest,
          logger: this.logger,
          registry: deps.registry,
          resyncMs: config.auditIntervalMs,
        })
      : undefined;
    this.unsubscribe = deps.cache.subscribe(() => {
      this.requestPlan();
    });
    // A status changed alone (this controller's own writes, above all): no round. The echo of
    // the controller's own write costs one comparison; any other status is checked again, and a
    // foreign one repaired.
    this.unsubscribeStatus = deps.cache.subscribeStatus((keys) => {
      if (this.context === undefined) return;
      for (const key of keys) {
        if (this.context.statuses.has(key) && this.statuses.observe(key)) {
          this.queue.add(`status/${key}`);
        }
      }
    });
    this.unshareStatuses = deps.cache.shareOwnStatuses((object) => this.statuses.ownStatus(object));
    this.workloads.start();
    this.policies.start();
    this.auditTimer = setInterval(() => {
      this.refreshDue = true;
      this.requestPlan(0);
    }, config.auditIntervalMs);
    this.auditTimer.unref();
    this.requestPlan(0);
    this.logger.info('controller started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.planTimer);
    clearTimeout(this.wakeTimer);
    clearInterval(this.auditTimer);
    this.unsubscribe();
    this.unsubscribeStatus();
    this.unshareStatuses();
    await this.queue.stop();
    await this.reports?.stop();
    await this.workloads.stop();
    await this.policies.stop();
    await Promise.all(this.receivers.map((r) => r.stop()));
    await this.events.flush();
    for (const gauge of [
      this.metrics.capabilities,
      this.metrics.vacantRoles,
      this.metrics.delegations,
      this.metrics.openEscalations,
      this.metrics.aiWorkloads,
      this.metrics.unanchoredWorkloads,
      this.metrics.invalidObjects,
      this.metrics.exemptWorkloads,
      this.metrics.interactions,
    ]) {
      gauge.reset();
    }
    this.gauges.clear();
    this.logger.info('controller stopped');
  }

  private requestPlan(delayMs = PLAN_DEBOUNCE_MS): void {
    if (this.stopped || (this.planTimer !== undefined && delayMs > 0)) return;
    clearTimeout(this.planTimer);
    this.planTimer = setTimeout(() => {
      this.planTimer = undefined;
      this.startRound();
    }, delayMs);
  }

  /** Runs one round unless one is running (then another follows it). */
  private startRound(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    this.round()
      .catch((error: unknown) => {
        this.logger.error({ err: String(error) }, 'planning failed');
      })
      .finally(() => {
        this.running = false;
        if (this.again) this.requestPlan(0);
      });
  }

  /**
   * Plans the round (engine/plan) in slices of at most {@link SLICE_MS}, giving the event loop
   * back in between so admission never waits behind it, then queues only the keys whose desired
   * state differs from the cache: statuses that changed, causes and their escalations, workloads
   * the stop button must act on.
   */
  private async round(): Promise<void> {
    const { cache } = this.deps;
    const snapshot = cache.snapshot();
    const objects = cache.objects();
    if (snapshot !== undefined) this.workloads.follow(policyKinds(snapshot));
    if (
      this.stopped ||
      snapshot === undefined ||
      objects === undefined ||
      !this.workloads.synced() ||
      !this.policies.synced()
    ) {
      return;
    }
    const started = performance.now();
    let busy = 0;
    let sliceStart = started;
    const pause = async (): Promise<boolean> => {
      const now = performance.now();
      if (now - sliceStart < SLICE_MS) return !this.stopped;
      busy += now - sliceStart;
      await nextTurn();
      sliceStart = performance.now();
      return !this.stopped;
    };
    const now = this.deps.clock();
    const invalid = cache.invalidObjects();
    const steps = planRoundSteps({
      snapshot,
      objects,
      workloads: this.workloads.all(),
      namespaceLabels: (namespace) => cache.namespaceLabels(namespace),
      invalid,
      now,
      stopMethods: this.workloads.stopMethods(),
      tamperings: this.policies.tamperings(now.getTime()),
      previous: this.context,
    });
    let step = steps.next();
    while (step.done !== true) {
      if (!(await pause())) return;
      step = steps.next();
    }
    const plan = step.value;
    const last = this.context;
    this.context = plan;
    this.reportInvalid(invalid);
    this.escalations.prune(
      new Set([...snapshot.escalations.values()].flatMap((e) => e.metadata.uid ?? [])),
    );
    // A status planned by the previous round and reused as is (its namespace did not change) was
    // checked then; a change of its stored status alone is checked when it arrives. The audit
    // interval checks them all again.
    const checkAll = this.refreshDue;
    if (checkAll) this.statuses.prune(plan.statuses);
    let checked = 0;
    const anew = checkAll ? plan.statuses.entries() : plan.statuses.changedSince(last?.statuses);
    for (const [key, planned] of anew) {
      if (this.statuses.needsWrite(key, planned, plan)) this.queue.add(statusKey(planned.object));
      if ((checked += 1) % 16 === 0 && !(await pause())) return;
    }
    for (const id of new Set([...plan.causes.keys(), ...plan.episodes.keys()])) {
      this.queue.add(`escalation/${id}`);
    }
    for (const { workload } of plan.stops.values()) this.queue.add(stopKey(workload));
    for (const key of this.policies.drifted(plan)) this.queue.add(policyQueueKey(key));
    this.gauges.export(this.metrics, plan.metrics);
    this.reports?.update(() => plan.findings, snapshot, now);
    if (this.refreshDue) {
      this.refreshDue = false;
      this.refreshAlerts(plan);
    }
    this.scheduleWakeup(plan.wakeAt, now.getTime());
    busy += performance.now() - sliceStart;
    this.metrics.roundBusy.observe(busy / 1000);
    this.metrics.roundDuration.observe((performance.now() - started) / 1000);
    this.metrics.queueLength.set(this.queue.length);
    this.logger.debug(
      {
        ms: Math.round(performance.now() - started),
        busyMs: Math.round(busy),
        queued: this.queue.length,
      },
      'round planned',
    );
  }

  /**
   * A Warning Event on each object of the oos kinds its schema refuses, once per version of it
   * (the gauge is exported with the others): an object that fails validation never silently
   * disappears.
   */
  private reportInvalid(invalid: readonly InvalidObject[]): void {
    const seen = new Set<string>();
    for (const object of invalid) {
      const id = `${object.uid ?? ''}@${object.resourceVersion ?? ''}`;
      seen.add(id);
      if (this.invalidReported.has(id)) continue;
      this.invalidReported.add(id);
      const consequence =
        object.part === 'status'
          ? 'oos uses its spec and rewrites the status, which only the oos controller writes'
          : object.kept
            ? 'oos keeps using its last valid version'
            : 'it was never valid, so oos does not use it';
      this.events.emit({
        regarding: {
          apiVersion: API_VERSION,
          kind: object.kind,
          name: object.name,
          ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
          uid: object.uid,
        },
        type: 'Warning',
        reason: 'SchemaMismatch',
        action: 'Validate',
        note: `The ${object.part} does not match the oos schema (${object.issues.join('; ')}): ${consequence}. Fix the object.`,
      });
    }
    for (const id of this.invalidReported) if (!seen.has(id)) this.invalidReported.delete(id);
  }

  private scheduleWakeup(at: number | undefined, now: number): void {
    clearTimeout(this.wakeTimer);
    if (this.stopped) return;
    const delay = Math.min(at === undefined ? MAX_TIMER_MS : at - now, MAX_TIMER_MS);
    this.wakeTimer = setTimeout(
      () => {
        this.requestPlan(0);
      },
      Math.max(delay, 0),
    );
    this.wakeTimer.unref();
  }

  private async process(key: string): Promise<void> {
    const context = this.context;
    if (context === undefined) return;
    const slash = key.indexOf('/');
    const type = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    const end = this.metrics.reconcileDuration.startTimer({ kind: kindOfKey(key) });
    try {
      if (type === 'status') {
        await this.statuses.reconcile(rest, context);
      } else if (type === 'escalation') {
        const [namespace = '', cause = ''] = rest.split('/');
        await this.escalations.reconcile(namespace, cause, context, this.deps.clock());
      } else if (type === 'netpol') {
        await this.policies.reconcile(rest, context);
      } else if (type === 'stop') {
        const [group = '', kind = '', namespace = '', name = ''] = rest.split('/');
        await this.stopButton.reconcile(`${group}/${kind}`, namespace, name, context);
      }
    } finally {
      end();
    }
  }

  /** Re-sends the open escalations to Alertmanager, whose alerts otherwise end. */
  private refreshAlerts(context: PlanContext): void {
    for (const list of context.episodes.values()) {
      for (const escalation of list) {
        if (!isResolved(escalation) && (escalation.status?.level ?? 0) > 0) {
          this.escalations.notify(escalation, 'refresh', [], context, context.at);
        }
      }
    }
  }

  /**
   * Sets the gauges to the values the round planned: only the label sets whose value changed, and
   * removes those that are gone (a round after one change touches a few, not thousands).
   */
}

/** The metric label of a queue key: the oos kind, Escalation, NetworkPolicy or StopButton. */
export function kindOfKey(key: string): string {
  const [type, kind] = key.split('/');
  if (type === 'status') return kind ?? 'unknown';
  if (type === 'netpol') return 'NetworkPolicy';
  return type === 'escalation' ? 'Escalation' : 'StopButton';
}

/**
 * Starts the controller (on the leader only): status of every oos kind, escalations, the stop
 * button and the background audit, from the shared governance cache and workload informers.
 */
export function startController(deps: ControllerDeps): RunningController {
  const controller = new Controller(deps);
  return { stop: () => controller.stop() };
}
