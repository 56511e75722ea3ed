import type { Logger } from 'pino';
import {
  apiVersionOfType,
  policyWorkloadType,
  servedWorkloadType,
  WORKLOAD_TYPES,
  workloadTypeKey,
  type GroupKind,
  type WorkloadType,
} from '../../api/index.js';
import { extended } from '../../engine/shape.js';
import { stopMethods, type StopMethods } from '../../engine/stop/index.js';
import { Informer, type Availability, type KubeObject } from '../cache/informer.js';
import { resolveKind, type KindResolution } from '../kube/discovery.js';
import type { KubeRest } from '../kube/rest.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import { clusterPath, workloadResource, type Resource } from './paths.js';
import { changesTheAudit, projectWorkload } from './workload-projection.js';

export type Workload = KubeObject & Readonly<Record<string, unknown>>;

/** Where a workload kind stands: being resolved, served (watched), or not (see {@link KindResolution}). */
export type KindState = 'pending' | Availability | 'error';
const STATES: readonly KindState[] = ['pending', 'served', 'absent', 'forbidden', 'error'];

/** How often a kind that is not served (no CRD, no RBAC, discovery failed) is looked up again. */
const RECHECK_MS = 60_000;

interface Entry {
  /** The table's row, or for a policy kind a row with what discovery found. */
  type: WorkloadType;
  readonly policy: boolean;
  state: KindState;
  /** Discovery in flight (custom kinds only). */
  resolving: boolean;
  informer?: Informer<Workload>;
  resource?: Resource;
}

export interface WorkloadInformersOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly onChange: () => void;
  readonly onRestart?: (kind: string, cause: string) => void;
  /** Where each kind's state is reported (`oos_workload_kinds`). */
  readonly metrics?: Pick<ControllerMetrics, 'workloadKinds'>;
  readonly recheckMs?: number;
}

/**
 * List + watch (paged lists, resumable watches: the governance cache's Informer) of every workload
 * kind the background audit and the stop button need, in all namespaces: every row of the
 * workload-type table (Pods, the pod controllers and the AI custom kinds) and the kinds the
 * GovernancePolicy adds ({@link follow}). A custom kind is resolved through discovery first (its
 * served version, its resource, whether it has `scale`); one that is not installed, or that the
 * operator may not read, is reported (log and `oos_workload_kinds`), counts as synced, and is
 * looked up again every minute, so neither blocks the others.
 */
export class WorkloadInformers {
  private readonly entries = new Map<string, Entry>();
  /** What {@link all} last returned; dropped at every change of a store or of the kinds. */
  private list: readonly Workload[] | undefined;
  private methods: StopMethods;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly options: WorkloadInformersOptions) {
    for (const type of WORKLOAD_TYPES) {
      this.entries.set(workloadTypeKey(type), {
        type,
        policy: false,
        state: 'pending',
        resolving: false,
      });
    }
    this.methods = stopMethods(WORKLOAD_TYPES);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [key, entry] of this.entries) this.activate(key, entry);
    this.timer = setInterval(() => {
      for (const [key, entry] of this.entries) {
        if (entry.state !== 'served' && entry.state !== 'pending') this.activate(key, entry);
      }
    }, this.options.recheckMs ?? RECHECK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all(
      [...this.entries.values()].flatMap((entry) =>
        entry.informer === undefined ? [] : [entry.informer.stop()],
      ),
    );
  }

  /** True once every kind is resolved and every served kind listed (absent ones never block). */
  synced(): boolean {
    for (const entry of this.entries.values()) {
      if (entry.state === 'pending') return false;
      if (entry.informer !== undefined && !entry.informer.synced()) return false;
    }
    return true;
  }

  /**
   * Every workload, with its apiVersion and kind (the stores add them: list items come without
   * them): the very same list until a store or the kinds change, so a round can tell by identity
   * that no workload did.
   */
  all(): readonly Workload[] {
    this.list ??= [...this.entries.values()].flatMap(({ informer }) => informer?.items() ?? []);
    return this.list;
  }

  /** One workload by `group/Kind`, namespace and name. */
  get(groupKind: string, namespace: string, name: string): Workload | undefined {
    return this.entries.get(groupKind)?.informer?.get(namespace, name);
  }

  /** The REST resource of a `group/Kind` being watched (where the stop button writes). */
  resource(groupKind: string): Resource | undefined {
    return this.entries.get(groupKind)?.resource;
  }

  /** How the stop button stops each kind, as discovery found them (a CRD serving `scale` is scaled). */
  stopMethods(): StopMethods {
    return this.methods;
  }

  /** Each kind and its state (for logs, metrics and tests). */
  states(): ReadonlyMap<string, KindState> {
    return new Map([...this.entries].map(([key, entry]) => [key, entry.state]));
  }

  /**
   * Follows the kinds a GovernancePolicy adds (`aiWorkloadDetection.kinds`): a kind named for the
   * first time is resolved and watched; a kind no longer named is dropped. Cheap when nothing
   * changed, so the controller may call it on every plan.
   */
  follow(kinds: Iterable<GroupKind>): void {
    const wanted = new Map<string, GroupKind>();
    for (const kind of kinds) {
      const key = workloadTypeKey(kind);
      const entry = this.entries.get(key);
      if (entry === undefined || entry.policy) wanted.set(key, kind);
    }
    let changed = false;
    for (const [key, entry] of this.entries) {
      if (!entry.policy || wanted.has(key)) continue;
      this.entries.delete(key);
      void entry.informer?.stop();
      this.options.metrics?.workloadKinds.remove({ kind: key, state: entry.state });
      this.options.logger.info({ kind: key }, 'workload kind no longer named by the policy');
      changed = true;
    }
    for (const [key, kind] of wanted) {
      if (this.entries.has(key)) continue;
      const entry: Entry = {
        type: policyWorkloadType(kind, { version: '', plural: '', scaleReplicas: undefined }),
        policy: true,
        state: 'pending',
        resolving: false,
      };
      this.entries.set(key, entry);
      this.options.logger.info({ kind: key }, 'following a workload kind the policy names');
      if (this.started) this.activate(key, entry);
      changed = true;
    }
    if (changed) {
      this.list = undefined;
      this.refreshMethods();
      this.options.onChange();
    }
  }

  /** Starts watching a kind: a built-in at once, a custom kind once discovery has found it. */
  private activate(key: string, entry: Entry): void {
    if (this.stopped || entry.informer !== undefined || entry.resolving) return;
    if (entry.type.origin === 'BuiltIn') {
      this.watch(key, entry, entry.type);
      return;
    }
    entry.resolving = true;
    void resolveKind(this.options.rest, entry.type).then((resolution) => {
      entry.resolving = false;
      if (this.stopped || this.entries.get(key) !== entry) return;
      this.resolved(key, entry, resolution);
    });
  }

  private resolved(key: string, entry: Entry, resolution: KindResolution): void {
    if (resolution.state !== 'served') {
      if (resolution.state === 'absent' && entry.state !== 'absent') {
        this.options.logger.info(
          { kind: key },
          'workload kind not installed (no CRD); looking again every minute',
        );
      } else if (resolution.state !== 'absent') {
        this.options.logger.warn(
          { kind: key, err: resolution.message },
          resolution.state === 'forbidden'
            ? 'API discovery of a workload kind was refused (403); it is not audited'
            : 'API discovery of a workload kind failed; it is not audited until it succeeds',
        );
      }
      this.setState(key, entry, resolution.state);
      return;
    }
    const type = entry.policy
      ? policyWorkloadType(entry.type, resolution)
      : servedWorkloadType(entry.type, resolution);
    if (!resolution.namespaced) {
      this.options.logger.warn({ kind: key }, 'a cluster-scoped kind is no workload; ignored');
      this.setState(key, entry, 'absent');
      return;
    }
    entry.type = type;
    this.refreshMethods();
    this.watch(key, entry, type);
  }

  private watch(key: string, entry: Entry, type: WorkloadType): void {
    const resource = workloadResource(type);
    entry.resource = resource;
    const typeMeta = { apiVersion: apiVersionOfType(resource), kind: resource.kind };
    entry.informer = new Informer<Workload>({
      name: type.kind,
      path: clusterPath(resource),
      rest: this.options.rest,
      logger: this.options.logger,
      // Only what the audit and the stop button read is kept, with its apiVersion and kind, and
      // only a change of it counts: for any other (a Pod getting Ready or scheduled, a rollout's
      // counters) the object held stays, so the list and the plan's memo of it stay too.
      project: (object) => extended(projectWorkload(object, type.podTemplate), typeMeta),
      unchanged: (held, next) => !changesTheAudit({ previous: held, next }),
      onChange: () => {
        this.list = undefined;
        this.options.onChange();
      },
      onRestart: (cause) => this.options.onRestart?.(type.kind, cause),
      // A CRD removed later, or RBAC that does not grant the kind: empty, reported, retried.
      optional: true,
      forbiddenIsAbsent: true,
      absentRetryMs: this.options.recheckMs ?? RECHECK_MS,
      onAvailability: (availability) => {
        this.setState(key, entry, availability);
      },
    });
    entry.informer.start();
  }

  private setState(key: string, entry: Entry, state: KindState): void {
    const changed = entry.state !== state;
    entry.state = state;
    if (changed) this.list = undefined;
    for (const s of STATES)
      this.options.metrics?.workloadKinds.set({ kind: key, state: s }, s === state ? 1 : 0);
    if (changed) this.options.onChange();
  }

  private refreshMethods(): void {
    this.methods = stopMethods([...this.entries.values()].map((entry) => entry.type));
  }
}
