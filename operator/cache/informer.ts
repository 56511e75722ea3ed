import type { Logger } from 'pino';
import { KubeApiError, WatchQuietError, type KubeRest } from '../kube/rest.js';
import { backoffDelay } from './backoff.js';
import { isExpired, isForbidden, isNotFound } from '../kube/errors.js';
import { informerStrings, type StringTable } from './strings.js';

/**
 * The longest wait between two attempts to list or watch again: once the apiserver is back, every
 * informer resumes within this long (plus its list), however long it was away. Governance is
 * stale until then (see `interruptedSince`).
 */
export const RETRY_MAX_MS = 8_000;

/** The least of a Kubernetes object an informer needs. */
export interface KubeObject {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
}

interface ListResponse<T> {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: readonly T[];
}

/**
 * kubectl's copy of the whole manifest it last applied, in an annotation of every object made
 * with `kubectl apply`: as large as the rest of the object, and read by nothing in oos.
 */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * `object` without its bookkeeping: `metadata.managedFields` and the {@link LAST_APPLIED}
 * annotation (the same object when it has neither).
 */
export function withoutBookkeeping<T extends KubeObject>(object: T): T {
  const metadata: Record<string, unknown> | undefined = object.metadata;
  const annotations = metadata?.annotations;
  const applied =
    typeof annotations === 'object' &&
    annotations !== null &&
    Object.hasOwn(annotations, LAST_APPLIED);
  if (metadata?.managedFields === undefined && !applied) return object;
  const lean: Record<string, unknown> = { ...metadata, managedFields: undefined };
  if (applied) {
    // Left out rather than set to undefined: the schemas take annotations as a map of strings.
    lean.annotations = Object.fromEntries(
      Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED),
    );
  }
  return { ...object, metadata: lean };
}

/** One object of the store replaced by a watch event: added, modified or deleted. */
export interface StoreChange<T> {
  readonly previous: T | undefined;
  readonly next: T | undefined;
}

interface WatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T & { readonly code?: number; readonly message?: string };
}

export interface InformerOptions {
  /** Shown in logs and metrics, e.g. `Capability`. */
  readonly name: string;
  /** Collection path across all namespaces, e.g. `/apis/oos.dev/v1alpha1/capabilities`. */
  readonly path: string;
  readonly rest: KubeRest;
  readonly logger: Logger;
  /**
   * Called after every change of the store (and after each full list). A watch event says which
   * object it replaced with which (`undefined`: none); a full list says nothing.
   */
  readonly onChange: (change?: StoreChange<KubeObject>) => void;
  /** Called when a watch is restarted (error, quiet, 410 Gone), for the metric. */
  readonly onRestart?: (cause: 'error' | 'gone' | 'quiet') => void;
  readonly pageSize?: number;
  /** Only the objects with these labels (a label selector, e.g. `oos.dev/managed-by=oos`). */
  readonly labelSelector?: string;
  /** What the store keeps of each object (e.g. a projection, to save memory); the whole object by default. */
  readonly project?: (object: KubeObject) => KubeObject;
  /**
   * Whether a watch event's object (projected) is, to the store's readers, the one it holds: then
   * the store keeps the one it holds, and `onChange` is not called. The store's objects may then
   * carry an older `resourceVersion` than the apiserver's, so only for readers that never send it
   * back (the watch itself resumes from the last event's, kept apart).
   */
  readonly unchanged?: (held: KubeObject, next: KubeObject) => boolean;
  /** The table of repeated strings the store's objects share; the thread's by default. */
  readonly strings?: StringTable;
  /** The server closes a watch after this long; we then continue from the last resourceVersion. */
  readonly watchTimeoutSeconds?: number;
  /** A watch with no event or bookmark for this long is treated as dead and restarted. */
  readonly quietMs?: number;
  /**
   * For an optional API (DRA's `resource.k8s.io/v1`): a 404 on list means the apiserver does not
   * serve it, so the collection is empty and synced (readiness never waits for it); logged once,
   * and listed again every `absentRetryMs` (default 60 s) in case the API is turned on.
   */
  readonly optional?: boolean;
  readonly absentRetryMs?: number;
  /**
   * For an optional collection, a 403 on list or watch is treated like a 404 (empty and synced,
   * logged once as a warning, listed again every `absentRetryMs`) instead of blocking readiness:
   * the workload informers, where a kind the operator may not read is reported and the others
   * are still audited.
   */
  readonly forbiddenIsAbsent?: boolean;
  /** Called when the collection becomes served, absent (404) or forbidden (403). */
  readonly onAvailability?: (availability: Availability) => void;
  /** The clock of {@link Informer.interruptedSince} (epoch ms); `Date.now` by default. */
  readonly now?: () => number;
}

/** Whether the apiserver serves an informer's collection to it. */
export type Availability = 'served' | 'absent' | 'forbidden';

const key = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * List + watch of one collection into an in-memory store, like client-go's reflector: paged
 * list, watch from the list's resourceVersion with bookmarks, continue after the server's
 * timeout, relist on 410 Gone, restart with backoff on errors and when the watch goes quiet.
 */
export class Informer<T extends KubeObject> {
  private readonly store = new Map<string, T>();
  private resourceVersion: string | undefined;
  private listed = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  /** Since when (epoch ms) the store may miss changes: its watch ended and has not resumed. */
  private interruptedAt: number | undefined;

  constructor(private readonly options: InformerOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** True once the collection has been listed completely at least once. */
  synced(): boolean {
    return this.listed;
  }

  /**
   * Since when (epoch ms) the store may be behind the cluster: the watch ended (error, 410 Gone,
   * the apiserver gone) and neither a watch nor a list has resumed it; undefined while it is
   * current. A watch that resumes only to be told 410 Gone keeps the first interruption's time.
   */
  interruptedSince(): number | undefined {
    return this.interruptedAt;
  }

  items(): T[] {
    return [...this.store.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(`${namespace ?? ''}/${name}`);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /**
   * What the store keeps of an object: never its `metadata.managedFields` (server-side apply's
   * bookkeeping) nor kubectl's last-applied manifest, often the largest parts of an object, which
   * nothing in oos reads; then the informer's own projection.
   */
  private project(object: T): T {
    const lean = withoutBookkeeping(object);
    return this.options.project === undefined ? lean : (this.options.project(lean) as T);
  }

  /**
   * The projected object as the store holds it: with one copy of each repeated string value
   * (strings.ts). Only for an object the store takes, so that the values of an event it drops
   * never enter the table.
   */
  private keep(projected: T): T {
    return (this.options.strings ?? informerStrings).internObject(projected);
  }

  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        failures = 0;
        await this.watch();
      } catch (error) {
        if (this.stopped()) return;
        this.interruptedAt ??= this.now();
        if (this.absent(error)) {
          await sleep(this.options.absentRetryMs ?? 60_000, signal);
          continue;
        }
        const gone = isExpired(error);
        const quiet = error instanceof WatchQuietError;
        if (gone) this.resourceVersion = undefined;
        this.options.onRestart?.(gone ? 'gone' : quiet ? 'quiet' : 'error');
        const delay = gone ? 0 : backoffDelay(failures++, { maxMs: RETRY_MAX_MS });
        this.options.logger.warn(
          {
            informer: this.options.name,
            err: error instanceof Error ? error.message : String(error),
            retryInMs: delay,
          },
          gone ? 'watch expired (410 Gone); relisting' : 'watch failed; restarting',
        );
        await sleep(delay, signal);
      }
    }
  }

  private availability: Availability | undefined;

  private available(availability: Availability): void {
    if (this.availability === availability) return;
    this.availability = availability;
    this.options.onAvailability?.(availability);
    const context = { informer: this.options.name, path: this.options.path };
    if (availability === 'absent')
      this.options.logger.info(
        context,
        'the apiserver does not serve this API; treating the collection as empty',
      );
    if (availability === 'forbidden')
      this.options.logger.warn(
        context,
        'the operator may not list or watch this collection (403); treating it as empty until RBAC grants it',
      );
  }

  /** A 404 for an optional API (or a 403, when asked): the collection is empty and synced. */
  private absent(error: unknown): boolean {
    if (this.options.optional !== true) return false;
    const forbidden = isForbidden(error) && this.options.forbiddenIsAbsent === true;
    if (!isNotFound(error) && !forbidden) return false;
    this.available(forbidden ? 'forbidden' : 'absent');
    this.resourceVersion = undefined;
    const changed = !this.listed || this.store.size > 0;
    this.store.clear();
    this.listed = true;
    this.interruptedAt = undefined;
    if (changed) this.options.onChange();
    return true;
  }

  private async list(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (this.options.labelSelector !== undefined)
        query.set('labelSelector', this.options.labelSelector);
      if (continueToken) query.set('continue', continueToken);
      const page = await this.options.rest.request<ListResponse<T>>(
        'GET',
        `${this.options.path}?${query.toString()}`,
      );
      for (const item of page.items ?? []) fresh.set(key(item), this.keep(this.project(item)));
      const next = page.metadata?.continue;
      continueToken = next === '' ? undefined : next;
      resourceVersion = page.metadata?.resourceVersion;
    } while (continueToken);
    this.store.clear();
    for (const [k, v] of fresh) this.store.set(k, v);
    this.resourceVersion = resourceVersion;
    this.listed = true;
    this.interruptedAt = undefined;
    this.available('served');
    this.options.onChange();
  }

  private async watch(): Promise<void> {
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.options.watchTimeoutSeconds ?? 300),
      resourceVersion: this.resourceVersion ?? '',
    });
    if (this.options.labelSelector !== undefined)
      query.set('labelSelector', this.options.labelSelector);
    const before = this.interruptedAt;
    try {
      await this.options.rest.stream(
        `${this.options.path}?${query.toString()}`,
        (line) => {
          this.apply(JSON.parse(line) as WatchEvent<T>);
        },
        {
          signal: this.abort.signal,
          quietMs: this.options.quietMs ?? 360_000,
          onOpen: () => {
            this.interruptedAt = undefined;
          },
        },
      );
    } catch (error) {
      // 410 Gone comes as the first event of a watch that opened: the store is as old as before.
      this.interruptedAt = isExpired(error)
        ? (before ?? this.now())
        : (this.interruptedAt ?? this.now());
      throw error;
    }
    // The server ended the watch (its timeout): it resumes at once from the last resourceVersion.
    this.interruptedAt ??= this.now();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      const status = event.object.code ?? 500;
      throw new KubeApiError('WATCH', this.options.path, status, JSON.stringify(event.object));
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const id = key(event.object);
    const previous = this.store.get(id);
    let next: T | undefined;
    if (event.type === 'DELETED') this.store.delete(id);
    else {
      const projected = this.project(event.object);
      if (previous !== undefined && this.options.unchanged?.(previous, projected) === true) return;
      next = this.keep(projected);
      this.store.set(id, next);
    }
    this.options.onChange({ previous, next });
  }
}
