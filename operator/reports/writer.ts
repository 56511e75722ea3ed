import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Finding } from '../../engine/escalation/index.js';
import { LABEL_MANAGED_BY } from '../../engine/escalation/index.js';
import { arrayAt, at, sameJson, stringAt } from '../../engine/json.js';
import {
  ANNOTATION_RESULTS_OMITTED,
  buildReports,
  carryTimestamps,
  DEFAULT_REPORT_LIMITS,
  omittedOf,
  type ReportLimits,
  type ReportObject,
} from '../../engine/reports/index.js';
import type { GovernanceSnapshot } from '../../engine/snapshot.js';
import { clusterPath, collectionPath, objectPath } from '../controller/paths.js';
import { KubeApiError, type KubeRest } from '../kube/rest.js';
import { reportMetrics, type ReportMetrics } from './metrics.js';
import { REPORT_RESOURCES, type ReportKind } from './resources.js';

export interface ReportWriterOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly registry: Registry;
  /**
   * How often the writer lists the reports in the cluster to find those someone else changed or
   * deleted (and whether the CRDs appeared); between lists it trusts what it wrote itself.
   */
  readonly resyncMs: number;
  readonly limits?: ReportLimits;
  /**
   * The least time between two rounds (default: the lesser of `resyncMs` and 5 s). Building the
   * reports is synchronous work on the leader, which also serves admission: a burst of changes
   * gives one round with the latest findings, not one per change.
   */
  readonly minIntervalMs?: number;
}

interface Round {
  /** The round's findings, gathered only when the reports are built (see {@link update}). */
  readonly findings: () => readonly Finding[];
  readonly snapshot: GovernanceSnapshot;
  readonly now: Date;
  /** A round run again after a conflict; it is not run a third time. */
  readonly retry?: boolean;
}

/** A report as the cluster holds it: listed, or as the apiserver answered a write. */
interface Stored {
  readonly resourceVersion: string;
  readonly object: unknown;
}

/** A report as oos last wrote it, and the resourceVersion the write got. */
interface Written {
  readonly report: ReportObject;
  readonly resourceVersion: string;
}

const KINDS = Object.keys(REPORT_RESOURCES) as ReportKind[];

function keyOf(kind: string, namespace: string | undefined): string {
  return `${kind}/${namespace ?? ''}`;
}

function kindOfKey(key: string): ReportKind {
  return key.startsWith('ClusterReport/') ? 'ClusterReport' : 'Report';
}

function namespaceOfKey(key: string): string | undefined {
  const namespace = key.slice(key.indexOf('/') + 1);
  return namespace === '' ? undefined : namespace;
}

/** What a report says: everything oos writes but the bookkeeping of metadata. */
function content(object: unknown): unknown {
  return {
    source: at(object, 'source'),
    scope: at(object, 'scope'),
    configuration: at(object, 'configuration'),
    summary: at(object, 'summary'),
    results: at(object, 'results'),
    managedBy: stringAt(object, 'metadata', 'labels', LABEL_MANAGED_BY),
    omitted: stringAt(object, 'metadata', 'annotations', ANNOTATION_RESULTS_OMITTED),
  };
}

function stored(object: unknown): Stored {
  return { resourceVersion: stringAt(object, 'metadata', 'resourceVersion') ?? '', object };
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof KubeApiError && error.status === status;
}

/**
 * Writes the OpenReports of each audit round, incrementally: only the reports whose content
 * changed are written, a namespace with no AI workload left loses its Report, and a report someone
 * else changed or deleted is written back at the next list (every `resyncMs`). Rounds never
 * overlap: a round asked for while one runs replaces any waiting one. A kind whose CRD is absent
 * is skipped (logged once, `oos_reports_crd_available` 0) until a later list finds it.
 */
export class ReportWriter {
  private readonly metrics: ReportMetrics;
  private readonly logger: Logger;
  private readonly limits: ReportLimits;
  private readonly stored = new Map<string, Stored>();
  private readonly written = new Map<string, Written>();
  private readonly available = new Map<ReportKind, boolean>();
  private readonly failing = new Set<string>();
  private listedAt = -Infinity;
  private pending: Round | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastRoundAt = -Infinity;
  private wake: (() => void) | undefined;

  constructor(private readonly options: ReportWriterOptions) {
    this.metrics = reportMetrics(options.registry);
    this.logger = options.logger.child({ component: 'reports' });
    this.limits = options.limits ?? DEFAULT_REPORT_LIMITS;
  }

  /**
   * Asks for the reports of these findings to be written (returns at once). `findings` is called
   * only when a round of writes runs, at most once per `minIntervalMs`: the controller plans
   * after every change, and gathering all of a plan's findings (20,000 at full size) for each
   * plan, most of them superseded before the writer runs, would be waste.
   */
  update(findings: () => readonly Finding[], snapshot: GovernanceSnapshot, now: Date): void {
    if (this.stopped) return;
    this.pending = { findings, snapshot, now };
    this.kick();
  }

  /** Resolves once no round runs or waits. */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = undefined;
    this.wake?.();
    await this.flush();
  }

  /** The round waiting to run, if any (another may have replaced it during a pause). */
  private take(): Round | undefined {
    const round = this.pending;
    this.pending = undefined;
    return round;
  }

  /** Waits out the rest of the minimum interval since the last round (cut short by stop). */
  private async pause(): Promise<void> {
    const interval = this.options.minIntervalMs ?? Math.min(this.options.resyncMs, 5_000);
    const wait = this.lastRoundAt + interval - performance.now();
    if (wait <= 0 || this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private kick(): void {
    if (this.running !== undefined) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.pending !== undefined && !this.stopped) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending !== undefined) {
      await this.pause();
      const round = this.take();
      if (round === undefined || this.stopped) return;
      this.lastRoundAt = performance.now();
      try {
        await this.round(round);
      } catch (error) {
        this.logger.warn(
          { err: String(error) },
          'writing the OpenReports failed; next round retries',
        );
      }
    }
  }

  private async round(round: Round): Promise<void> {
    const built = buildReports(round.findings(), round.snapshot, round.now, this.limits);
    const desired = new Map<string, ReportObject>();
    let omitted = 0;
    for (const report of [
      ...built.reports,
      ...(built.cluster === undefined ? [] : [built.cluster]),
    ]) {
      const key = keyOf(report.kind, report.metadata.namespace);
      desired.set(key, carryTimestamps(this.written.get(key)?.report, report));
      omitted += omittedOf(report);
    }
    this.metrics.omitted.set(omitted);
    const now = round.now.getTime();
    if (now - this.listedAt >= this.options.resyncMs && (await this.list())) this.listedAt = now;
    for (const [key, report] of desired) {
      if (this.available.get(kindOfKey(key)) === true) await this.put(key, report, round);
    }
    for (const key of [...this.stored.keys()]) {
      if (!desired.has(key)) await this.remove(key);
    }
  }

  /** Lists the reports of both kinds under oos's names; false when a list failed. */
  private async list(): Promise<boolean> {
    let complete = true;
    for (const kind of KINDS) {
      const { resource, name } = REPORT_RESOURCES[kind];
      let items: readonly unknown[];
      try {
        const list = await this.options.rest.request<unknown>(
          'GET',
          `${clusterPath(resource)}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
        );
        items = arrayAt(list, 'items');
      } catch (error) {
        if (isStatus(error, 404)) {
          this.setAvailable(kind, false);
        } else {
          complete = false;
          this.logger.warn({ kind, err: String(error) }, 'listing the OpenReports failed');
        }
        continue;
      }
      this.setAvailable(kind, true);
      for (const key of [...this.stored.keys()]) {
        if (kindOfKey(key) === kind) this.stored.delete(key);
      }
      for (const item of items) {
        this.stored.set(keyOf(kind, stringAt(item, 'metadata', 'namespace')), stored(item));
      }
    }
    return complete;
  }

  private setAvailable(kind: ReportKind, available: boolean): void {
    const before = this.available.get(kind);
    this.available.set(kind, available);
    this.metrics.available.set({ kind }, available ? 1 : 0);
    if (before === available) return;
    if (available) {
      if (before === false) this.logger.info({ kind }, `the OpenReports ${kind} CRD is served now`);
      return;
    }
    for (const key of [...this.stored.keys(), ...this.written.keys()]) {
      if (kindOfKey(key) !== kind) continue;
      this.stored.delete(key);
      this.written.delete(key);
    }
    this.logger.warn(
      { kind },
      `the OpenReports ${kind} CRD (${REPORT_RESOURCES[kind].resource.plural}.openreports.io) is not installed: oos writes no ${kind} until it is (the chart installs it with openreports.installCRDs=true)`,
    );
  }

  /** Creates or updates one report unless the cluster holds it as oos last wrote it. */
  private async put(key: string, report: ReportObject, round: Round): Promise<void> {
    const kind = kindOfKey(key);
    const { resource, name } = REPORT_RESOURCES[kind];
    const namespace = namespaceOfKey(key);
    const current = this.stored.get(key);
    const last = this.written.get(key);
    const ours = last !== undefined && current?.resourceVersion === last.resourceVersion;
    if (current !== undefined && ours && sameJson(last.report, report)) return;
    if (current !== undefined && sameJson(content(current.object), content(report))) {
      this.written.set(key, { report, resourceVersion: current.resourceVersion });
      return;
    }
    const repair = last !== undefined && !ours;
    const operation = current === undefined ? 'create' : 'update';
    try {
      const answer = await this.options.rest.request<unknown>(
        current === undefined ? 'POST' : 'PUT',
        current === undefined
          ? collectionPath(resource, namespace)
          : objectPath(resource, namespace, name),
        {
          body:
            current === undefined
              ? report
              : {
                  ...report,
                  metadata: { ...report.metadata, resourceVersion: current.resourceVersion },
                },
        },
      );
      const written = stored(answer);
      this.stored.set(key, written);
      this.written.set(key, { report, resourceVersion: written.resourceVersion });
      this.metrics.writes.inc({ kind, operation, outcome: 'ok' });
      this.failing.delete(key);
      if (repair) {
        this.metrics.repairs.inc({ kind });
        this.logger.info(
          { kind, namespace },
          `the ${kind} ${name} was changed or deleted by someone else: oos wrote it back`,
        );
      }
    } catch (error) {
      this.metrics.writes.inc({ kind, operation, outcome: 'error' });
      if (isStatus(error, 409) || (isStatus(error, 404) && current !== undefined)) {
        // Created, changed or deleted since the list: list again, and retry once in a round of
        // its own (a newer round waiting replaces it).
        this.listedAt = -Infinity;
        if (round.retry !== true) this.pending ??= { ...round, retry: true };
        return;
      }
      if (!this.failing.has(key)) {
        this.failing.add(key);
        this.logger.warn({ kind, namespace, err: String(error) }, `writing the ${kind} failed`);
      }
    }
  }

  private async remove(key: string): Promise<void> {
    const kind = kindOfKey(key);
    const { resource, name } = REPORT_RESOURCES[kind];
    const namespace = namespaceOfKey(key);
    try {
      await this.options.rest.request('DELETE', objectPath(resource, namespace, name));
      this.metrics.writes.inc({ kind, operation: 'delete', outcome: 'ok' });
    } catch (error) {
      if (!isStatus(error, 404)) {
        this.metrics.writes.inc({ kind, operation: 'delete', outcome: 'error' });
        this.logger.warn({ kind, namespace, err: String(error) }, `deleting the ${kind} failed`);
        return;
      }
    }
    this.stored.delete(key);
    this.written.delete(key);
  }
}
