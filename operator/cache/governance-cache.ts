import type { Logger } from 'pino';
import {
  accountableRoleKind,
  capabilityKind,
  delegationKind,
  escalationKind,
  escalationPolicyKind,
  exemptionKind,
  governancePolicyKind,
  type KindDefinition,
} from '../../api/index.js';
import {
  buildSnapshot,
  NO_DEVICES,
  withDevices,
  type DeviceIndex,
  type EngineConfig,
  type GovernanceObjects,
  type GovernanceSnapshot,
} from '../../engine/index.js';
import { invalidKey } from '../../engine/status/valid.js';
import type { GovernanceSource, Staleness } from '../../webhooks/governance-source.js';
import type { KubeRest } from '../kube/rest.js';
import { DeviceClaims } from './device-claims.js';
import { Informer, type KubeObject, type StoreChange } from './informer.js';
import { SchemaGate, type InvalidObject } from './schema-gate.js';
import { onlyStatusChanged, sameButStatus, withoutOwnStatus } from './status-only.js';

interface Namespace extends KubeObject {
  readonly metadata?: KubeObject['metadata'] & {
    readonly labels?: Record<string, string>;
    readonly deletionTimestamp?: string;
  };
}

/** Which field of the engine's input each watched kind fills. */
const WATCHED = {
  roles: accountableRoleKind,
  capabilities: capabilityKind,
  delegations: delegationKind,
  escalationPolicies: escalationPolicyKind,
  escalations: escalationKind,
  exemptions: exemptionKind,
  policies: governancePolicyKind,
} as const satisfies Record<keyof GovernanceObjects, KindDefinition>;

type Field = keyof typeof WATCHED;

/** Watch events of one kind kept for the next admission; past this many, its store is admitted whole. */
const MAX_PENDING_CHANGES = 1_000;

/**
 * The kinds whose status is the controller's own output and never an input of the snapshot: a
 * change of their status alone (the controller's writes, above all) leaves the snapshot as it is
 * and only refreshes the objects. An Escalation's status (level, acknowledgement) is an input.
 */
const OUTPUT_STATUS: ReadonlySet<Field> = new Set<Field>([
  'roles',
  'capabilities',
  'delegations',
  'exemptions',
  'policies',
]);

/**
 * The status the controller last wrote to `object` when the object carries exactly that status
 * (the watch's echo of its own write): the very object it wrote, which the cache keeps instead of
 * the echo's equal copy; undefined for anything else.
 */
export type OwnStatuses = (object: KubeObject) => unknown;

export interface GovernanceCacheOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly engine: EngineConfig;
  readonly onWatchRestart?: (kind: string, cause: string) => void;
  /**
   * Whether the objects keep the statuses the controller writes (the kinds of
   * {@link OUTPUT_STATUS}); true by default. The controller reads them back to write only what
   * changed. Admission decides from the rest alone, so its cache drops them (false): the 16,000
   * statuses of a large governance are not held, and the controller's writes of them, most of
   * the watch events, cost admission's thread a parse and a comparison instead of a schema check.
   */
  readonly keepOutputStatus?: boolean;
}

/**
 * The shared informer cache: list + watch of every oos kind and of Namespaces (their labels
 * choose the enforcement mode), validated with the api/ schemas and indexed by the engine into
 * one snapshot. The admission path only reads it.
 */
export class GovernanceCache implements GovernanceSource {
  private readonly informers: Record<Field, Informer<KubeObject>>;
  private readonly namespaces: Informer<Namespace>;
  /** DRA claims, templates and classes: the snapshot carries their index (`withDevices`). */
  private readonly devices: DeviceClaims;
  private devicesDirty = true;
  private deviceIndex: DeviceIndex = NO_DEVICES;
  private base: GovernanceSnapshot | undefined;
  private readonly gates = Object.fromEntries(
    Object.entries(WATCHED).map(([field, def]) => [field, new SchemaGate(def)]),
  ) as Record<Field, SchemaGate>;
  private current: GovernanceSnapshot | undefined;
  private currentObjects: GovernanceObjects | undefined;
  private readonly listeners = new Set<(snapshot: GovernanceSnapshot) => void>();
  private readonly statusListeners = new Set<(keys: readonly string[]) => void>();
  private dirty = true;
  /** Each kind's objects as its schema gate last admitted them. */
  private readonly admittedFields = new Map<Field, readonly unknown[]>();
  /**
   * The kinds whose store changed since they were last admitted, with their watch events (only
   * those objects are judged again) or `all` after a list: only these kinds are admitted again.
   */
  private readonly unadmitted = new Map<Field, StoreChange<KubeObject>[] | 'all'>();
  /** Some object's status changed since the objects were last admitted (snapshot unaffected). */
  private objectsStale = false;
  /** `Kind/namespace/name` of the objects whose status alone changed, not yet told. */
  private readonly statusChanges = new Set<string>();
  /** A Namespace or device change to tell the snapshot's subscribers about. */
  private notifyDue = false;
  private scheduled = false;
  /** See {@link shareOwnStatuses}. */
  private ownStatuses: OwnStatuses | undefined;

  constructor(private readonly options: GovernanceCacheOptions) {
    // A Namespace never enters the snapshot (its labels are read directly), so its changes only
    // tell the subscribers; rebuilding 15,000 objects for a namespace's status would be waste.
    const make = <T extends KubeObject>(
      name: string,
      path: string,
      governance: boolean,
      field?: Field,
    ): Informer<T> =>
      new Informer<T>({
        name,
        path,
        rest: options.rest,
        logger: options.logger,
        // A write of a dropped status alone is no change at all: the object held stays. A kept
        // status that is the controller's own write is held as the object it wrote.
        ...(field === undefined || !OUTPUT_STATUS.has(field)
          ? {}
          : this.drops(field)
            ? { project: withoutOwnStatus, unchanged: sameButStatus }
            : { project: (object: KubeObject) => this.withOwnStatus(object) }),
        onChange: (change) => {
          if (field !== undefined) this.note(field, change);
          if (field !== undefined && this.statusOnly(field, change)) return;
          this.changed(governance);
        },
        onRestart: (cause) => options.onWatchRestart?.(name, cause),
      });
    this.informers = Object.fromEntries(
      Object.entries(WATCHED).map(([field, def]) => [
        field,
        make(def.kind, `/apis/${def.group}/${def.version}/${def.plural}`, true, field as Field),
      ]),
    ) as Record<Field, Informer<KubeObject>>;
    this.namespaces = make<Namespace>('Namespace', '/api/v1/namespaces', false);
    this.devices = new DeviceClaims({
      rest: options.rest,
      logger: options.logger,
      onChange: () => {
        this.devicesDirty = true;
        this.changed(false);
      },
      ...(options.onWatchRestart === undefined ? {} : { onWatchRestart: options.onWatchRestart }),
    });
  }

  start(): void {
    for (const informer of this.all()) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }

  synced(): boolean {
    return this.all().every((i) => i.synced());
  }

  pending(): readonly string[] {
    return this.all()
      .filter((i) => !i.synced())
      .map((i) => i.name);
  }

  /**
   * Since when the snapshot may miss changes: the oldest interruption of a watch that has not
   * resumed (the governance kinds, Namespaces, device claims), with the kinds interrupted.
   */
  staleSince(): Staleness | undefined {
    let since: number | undefined;
    const kinds: string[] = [];
    for (const informer of this.all()) {
      const at = informer.interruptedSince();
      if (at === undefined) continue;
      kinds.push(informer.name);
      since = since === undefined ? at : Math.min(since, at);
    }
    return since === undefined ? undefined : { since, kinds };
  }

  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.namespaces.get(undefined, namespace)?.metadata?.labels;
  }

  namespaceTerminating(namespace: string): boolean {
    return this.namespaces.get(undefined, namespace)?.metadata?.deletionTimestamp !== undefined;
  }

  snapshot(): GovernanceSnapshot | undefined {
    if (!this.synced()) return undefined;
    if (this.dirty || this.devicesDirty) this.rebuild();
    return this.current;
  }

  /**
   * The parsed objects the current snapshot was built from, with their latest status (the
   * controller writes it; a change of status alone refreshes them without rebuilding the snapshot),
   * or without it where the cache drops it ({@link GovernanceCacheOptions.keepOutputStatus}).
   */
  objects(): GovernanceObjects | undefined {
    if (this.snapshot() === undefined) return undefined;
    if (this.objectsStale) {
      this.currentObjects = this.admitted();
      this.objectsStale = false;
    }
    return this.currentObjects;
  }

  /** The latest parsed version of one object of a kind with a status, if the cache holds it. */
  object(kind: string, namespace: string | undefined, name: string): unknown {
    const field = (Object.keys(WATCHED) as Field[]).find((f) => WATCHED[f].kind === kind);
    if (field === undefined) return undefined;
    const raw = this.informers[field].get(namespace, name);
    return raw === undefined ? undefined : this.gates[field].outcome(raw).parsed;
  }

  /**
   * Calls `listener` with the `Kind/namespace/name` of objects whose status alone changed (the
   * snapshot did not), coalesced, until the returned function is called.
   */
  subscribeStatus(listener: (keys: readonly string[]) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /**
   * Calls `listener` after each rebuilt snapshot and after Namespace changes (their labels choose
   * the enforcement mode), until the returned function is called.
   */
  subscribe(listener: (snapshot: GovernanceSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Until the returned function is called, an object whose watch event brings exactly the status
   * `own` says the controller last wrote to it is kept with the very status object it wrote, not
   * the event's equal copy. The round that planned it holds that object, so plan and cache share
   * one copy of each status: a first round writes one for every object (16,000 at full size),
   * and each would otherwise be held twice until its namespace is planned again.
   */
  shareOwnStatuses(own: OwnStatuses): () => void {
    this.ownStatuses = own;
    return () => {
      if (this.ownStatuses === own) this.ownStatuses = undefined;
    };
  }

  private withOwnStatus(object: KubeObject): KubeObject {
    const own = this.ownStatuses?.(object);
    if (own === undefined) return object;
    const shared: KubeObject & { status: unknown } = { ...object, status: own };
    return shared;
  }

  /** Whether the objects of `field` are kept without their status. */
  private drops(field: Field): boolean {
    return this.options.keepOutputStatus === false && OUTPUT_STATUS.has(field);
  }

  /** Notes a change of a kind's store for its next admission (a list, or too many: all of it). */
  private note(field: Field, change: StoreChange<KubeObject> | undefined): void {
    const changes = this.unadmitted.get(field);
    if (changes === 'all') return;
    if (change === undefined || (changes?.length ?? 0) >= MAX_PENDING_CHANGES) {
      this.unadmitted.set(field, 'all');
    } else if (changes === undefined) this.unadmitted.set(field, [change]);
    else changes.push(change);
  }

  private all(): Informer<KubeObject>[] {
    return [...Object.values(this.informers), this.namespaces, ...this.devices.informers];
  }

  /**
   * A change of an output status alone whose new status its schema accepts: noted for the status
   * listeners, no rebuild. A status the schema refuses goes the whole way (it is reported).
   */
  private statusOnly(field: Field, change: StoreChange<KubeObject> | undefined): boolean {
    if (!OUTPUT_STATUS.has(field) || !onlyStatusChanged(change) || change?.next === undefined) {
      return false;
    }
    if (this.gates[field].outcome(change.next).invalid !== undefined) return false;
    const { metadata } = change.next;
    this.objectsStale = true;
    this.statusChanges.add(
      invalidKey(WATCHED[field].kind, metadata?.namespace, metadata?.name ?? ''),
    );
    this.schedule();
    return true;
  }

  /** Coalesces bursts of watch events into one rebuild (or notification), off the admission path. */
  private changed(governance: boolean): void {
    if (governance) this.dirty = true;
    this.notifyDue = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.synced()) return;
      const notifyDue = this.notifyDue;
      this.notifyDue = false;
      if (this.dirty || this.devicesDirty) this.rebuild();
      else if (this.current && notifyDue) this.notify(this.current);
      if (this.statusChanges.size > 0) {
        const keys = [...this.statusChanges];
        this.statusChanges.clear();
        for (const listener of this.statusListeners) listener(keys);
      }
    });
  }

  private notify(snapshot: GovernanceSnapshot): void {
    for (const listener of this.listeners) listener(snapshot);
  }

  private rebuild(): void {
    if (this.dirty || this.base === undefined) {
      const objects = this.admitted();
      this.base = buildSnapshot(objects, this.options.engine, this.base);
      this.currentObjects = objects;
      this.objectsStale = false;
      this.dirty = false;
    }
    if (this.devicesDirty) {
      this.deviceIndex = this.devices.index();
      this.devicesDirty = false;
    }
    this.current = withDevices(this.base, this.deviceIndex);
    this.notify(this.current);
  }

  /**
   * Every kind's admitted objects; only the objects that changed pass their schema gate again
   * (one Capability changed: one object, not the 16,000 of every kind), or a kind's whole store
   * after a list.
   */
  private admitted(): GovernanceObjects {
    for (const field of Object.keys(WATCHED) as Field[]) {
      const changes = this.unadmitted.get(field);
      if (changes !== undefined || !this.admittedFields.has(field)) {
        this.admittedFields.set(
          field,
          this.valid(field, this.admittedFields.has(field) ? changes : 'all'),
        );
      }
    }
    this.unadmitted.clear();
    return Object.fromEntries(this.admittedFields);
  }

  /**
   * The objects of one kind that pass its schema. One that does not never silently disappears: a
   * bad status is dropped but the spec kept, a bad object is replaced by its last valid version
   * (schema-gate.ts); each is logged once and reported by {@link invalidObjects}.
   */
  private valid(
    field: Field,
    changes: StoreChange<KubeObject>[] | 'all' | undefined,
  ): readonly unknown[] {
    const gate = this.gates[field];
    const before = new Set(gate.invalid());
    const out =
      (Array.isArray(changes) ? gate.update(changes) : undefined) ??
      gate.admit(this.informers[field].items());
    for (const invalid of gate.invalid()) {
      if (before.has(invalid)) continue;
      this.options.logger.warn(
        { ...invalid, issues: [...invalid.issues] },
        invalid.kept
          ? 'a governance object does not match its schema; oos keeps its last valid version'
          : 'a governance object does not match its schema and was never valid; oos ignores it',
      );
    }
    return out;
  }

  /** The objects of the oos kinds the cluster holds but their schema refuses, as last rebuilt. */
  invalidObjects(): readonly InvalidObject[] {
    return Object.values(this.gates).flatMap((gate) => gate.invalid());
  }
}
