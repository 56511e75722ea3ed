import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { API_VERSION, type Escalation } from '../../api/index.js';
import { policyKinds } from '../policy-workloads.js';
import type { InvalidObject } from '../cache/schema-gate.js';
import { delegationState } from '../../engine/chain/delegation.js';
import {
  auditWorkload,
  countByCapability,
  escalationCauses,
  isAnchored,
  isResolved,
  nextWakeup,
  type Cause,
  type Finding,
} from '../../engine/escalation/index.js';
import { currentHolders } from '../../engine/index.js';
import { stringAt } from '../../engine/json.js';
import { objectKey } from '../../engine/snapshot.js';
import { capabilityStatus, findCondition, NO_WORKLOADS } from '../../engine/status/index.js';
import type { GovernanceCache } from '../cache/governance-cache.js';
import type { KubeRest } from '../kube/rest.js';
import { controllerMetrics, type ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanContext } from './context.js';
import { EscalationWriter, managedKey } from './escalations.js';
import { EventRecorder } from './events/recorder.js';
import { WriteOverlay } from './overlay.js';
import { WorkQueue } from './queue.js';
import { AlertmanagerReceiver } from './receivers/alertmanager.js';
import type { Receiver } from './receivers/notification.js';
import { WebhookReceiver } from './receivers/webhook.js';
import { invalidKey, StatusWriter, statusKey, STATUS_KINDS, type OosObject } from './status.js';
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
  private readonly escalationOverlay = new WriteOverlay<Escalation>();
  private readonly reports: ReportWriter | undefined;
  private context: PlanContext | undefined;
  private planTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly auditTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private refreshDue = true;
  private readonly invalidReported = new Set<string>();
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
      workers: config.workers ?? 2,
      process: (key) => this.process(key),
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
    this.workloads.start();
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
    await this.queue.stop();
    await this.reports?.stop();
    await this.workloads.stop();
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
    ]) {
      gauge.reset();
    }
    this.logger.info('controller stopped');
  }

  private requestPlan(delayMs = PLAN_DEBOUNCE_MS): void {
    if (this.stopped || (this.planTimer !== undefined && delayMs > 0)) return;
    clearTimeout(this.planTimer);
    this.planTimer = setTimeout(() => {
      this.planTimer = undefined;
      try {
        this.plan();
      } catch (error) {
        this.logger.error({ err: String(error) }, 'planning failed');
      }
    }, delayMs);
  }

  /** Reads the caches, audits the workloads, decides the causes, and queues every key. */
  private plan(): void {
    const { cache } = this.deps;
    const snapshot = cache.snapshot();
    const objects = cache.objects();
    if (snapshot !== undefined) this.workloads.follow(policyKinds(snapshot));
    if (
      this.stopped ||
      snapshot === undefined ||
      objects === undefined ||
      !this.workloads.synced()
    ) {
      return;
    }
    const now = this.deps.clock();
    const findings: Finding[] = [];
    for (const workload of this.workloads.all()) {
      const namespace = stringAt(workload, 'metadata', 'namespace') ?? '';
      const finding = auditWorkload(
        workload,
        snapshot,
        cache.namespaceLabels(namespace),
        now,
        this.workloads.stopMethods(),
      );
      if (finding !== undefined) findings.push(finding);
    }
    const causes = new Map<string, Cause>();
    for (const cause of escalationCauses(snapshot, findings, now.getTime())) {
      causes.set(`${cause.namespace}/${cause.key}`, cause);
    }
    const episodes = new Map<string, Escalation[]>();
    for (const escalation of snapshot.escalations.values()) {
      const key = managedKey(escalation);
      if (key === undefined) continue;
      const id = `${escalation.metadata.namespace ?? ''}/${key}`;
      const list = episodes.get(id);
      if (list) list.push(escalation);
      else episodes.set(id, [escalation]);
    }
    const invalid = new Map<string, InvalidObject>();
    for (const object of cache.invalidObjects()) {
      invalid.set(invalidKey(object.kind, object.namespace, object.name), object);
    }
    const context: PlanContext = {
      snapshot,
      objects,
      findings,
      counts: countByCapability(findings),
      causes,
      episodes,
      invalid,
      at: now,
    };
    this.context = context;
    this.reportInvalid(invalid);
    this.escalations.prune(
      new Set([...snapshot.escalations.values()].flatMap((e) => e.metadata.uid ?? [])),
    );
    this.statuses.prune(
      new Set(
        Object.entries(STATUS_KINDS).flatMap(([kind, definition]) =>
          definition
            .list(context)
            .map((o) => `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`),
        ),
      ),
    );

    for (const kind of Object.values(STATUS_KINDS)) {
      for (const object of kind.list(context)) this.queue.add(statusKey(object));
    }
    for (const id of new Set([...causes.keys(), ...episodes.keys()])) {
      this.queue.add(`escalation/${id}`);
    }
    for (const workload of this.workloads.all()) {
      if (this.stopButton.pending(workload, context)) this.queue.add(stopKey(workload));
    }
    this.export(context);
    this.reports?.update(findings, snapshot, now);
    if (this.refreshDue) {
      this.refreshDue = false;
      this.refreshAlerts(context);
    }
    this.scheduleWakeup(nextWakeup(snapshot, now.getTime()), now.getTime());
  }

  /**
   * A Warning Event on each object of the oos kinds its schema refuses, once per version of it
   * (the gauge is exported with the others): an object that fails validation never silently
   * disappears.
   */
  private reportInvalid(invalid: ReadonlyMap<string, InvalidObject>): void {
    const seen = new Set<string>();
    for (const object of invalid.values()) {
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
    const parts = key.split('/');
    const kind = kindOfKey(key);
    const end = this.metrics.reconcileDuration.startTimer({ kind });
    try {
      const now = this.deps.clock();
      if (parts[0] === 'status') {
        await this.statuses.reconcile(
          parts[1] ?? '',
          parts[2] ?? '',
          parts[3] ?? '',
          context,
          now.getTime(),
        );
      } else if (parts[0] === 'escalation') {
        await this.escalations.reconcile(parts[1] ?? '', parts[2] ?? '', context, now);
      } else if (parts[0] === 'stop') {
        await this.stopButton.reconcile(
          `${parts[1] ?? ''}/${parts[2] ?? ''}`,
          parts[3] ?? '',
          parts[4] ?? '',
          context,
        );
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

  private export(context: PlanContext): void {
    const { metrics } = this;
    const { snapshot, at } = context;
    const now = at.getTime();
    metrics.capabilities.reset();
    for (const capability of context.objects.capabilities ?? []) {
      const key = objectKey(capability.metadata.namespace ?? '', capability.metadata.name ?? '');
      const status = capabilityStatus(
        capability,
        snapshot,
        context.counts.get(key) ?? NO_WORKLOADS,
        now,
      );
      metrics.capabilities.inc({
        autonomy: capability.spec.autonomy,
        risk_tier: capability.spec.riskTier,
        ready: findCondition(status.conditions, 'Ready')?.status ?? 'Unknown',
      });
    }
    metrics.vacantRoles.set(
      [...snapshot.roles.values()].filter((role) => currentHolders(role, now).length === 0).length,
    );
    metrics.delegations.reset();
    for (const list of snapshot.delegations.values()) {
      for (const delegation of list)
        metrics.delegations.inc({ state: delegationState(delegation, now) });
    }
    metrics.openEscalations.reset();
    for (const list of context.episodes.values()) {
      for (const e of list) {
        if (isResolved(e)) continue;
        metrics.openEscalations.inc({
          trigger: e.spec.trigger,
          severity: e.spec.severity,
          level: String(e.status?.level ?? 0),
        });
      }
    }
    metrics.invalidObjects.reset();
    for (const object of context.invalid.values()) {
      metrics.invalidObjects.inc({ kind: object.kind, part: object.part });
    }
    metrics.exemptWorkloads.reset();
    for (const finding of context.findings) {
      if (finding.exemptedBy === undefined) continue;
      metrics.exemptWorkloads.inc({
        namespace: finding.workload.namespace ?? '',
        exempted_by: finding.exemptedBy,
      });
    }
    metrics.aiWorkloads.reset();
    let unanchored = 0;
    for (const finding of context.findings) {
      const anchored = isAnchored(finding);
      if (!anchored) unanchored += 1;
      metrics.aiWorkloads.inc({
        namespace: finding.workload.namespace ?? '',
        capability: finding.capability ?? '',
        anchored: String(anchored),
      });
    }
    metrics.unanchoredWorkloads.set(unanchored);
  }
}

/** The metric label of a queue key: the oos kind, Escalation or StopButton. */
export function kindOfKey(key: string): string {
  const [type, kind] = key.split('/');
  if (type === 'status') return kind ?? 'unknown';
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
