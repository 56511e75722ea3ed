import type { Logger } from 'pino';
import { CONDITION_READY, findKind, type Condition } from '../../api/index.js';
import { sameJson } from '../../engine/json.js';
import {
  STATUS_KINDS,
  type PlannedStatus,
  type RoundPlan,
  type StatusObject,
} from '../../engine/plan/index.js';
import {
  CONDITION_SUSPENDED,
  CONDITION_VALID,
  findCondition,
  foreignTimes,
  invalidKey,
  statusChanged,
  withValidCondition,
  type SchemaIssues,
} from '../../engine/status/index.js';
import type { KubeRest } from '../kube/rest.js';
import type { EventRecorder, EventSubject } from './events/recorder.js';
import type { WriteOverlay } from './overlay.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import { JSON_PATCH, objectPath, oosResource } from './paths.js';

/** An oos object with the fields status reconciling reads. */
export type OosObject = StatusObject;

/** `status/<Kind>/<namespace>/<name>`: the queue key of one object's status (the round's key). */
export function statusKey(object: OosObject): string {
  return `status/${invalidKey(object.kind, object.metadata.namespace, object.metadata.name ?? '')}`;
}

/**
 * The JSON patch that replaces the whole status with `wanted`: nothing another writer put there
 * survives (fields oos does not know, values it never writes). `add` replaces an existing member.
 */
export function statusReplacement(wanted: Readonly<Record<string, unknown>>): unknown[] {
  return [{ op: 'add', path: '/status', value: wanted }];
}

export { CONDITION_VALID, invalidKey, withValidCondition };

export function subjectOf(object: OosObject): EventSubject {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? '',
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
    uid: object.metadata.uid,
  };
}

export interface StatusWriterOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly events: EventRecorder;
  readonly overlay: WriteOverlay<OosObject>;
  readonly metrics: ControllerMetrics;
  /**
   * The latest cached version of `Kind/namespace/name` (its status may be newer than the round's
   * object: a change of status alone does not start a round); the round's object when absent.
   */
  readonly latest?: (key: string) => OosObject | undefined;
}

/** The status this controller last wrote to an object. */
interface Written {
  readonly uid: string | undefined;
  readonly status: unknown;
}

/**
 * Keeps the status of AccountableRoles, Capabilities, Delegations and Exemptions true: computes
 * it with the engine and writes it (status subresource, merge patch) only when it changed; a
 * change of Ready, or of a Capability's Suspended condition, is also recorded as an Event.
 */
export class StatusWriter {
  private readonly written = new Map<string, Written>();
  /** Cached objects whose stored status was checked and found to be this controller's own. */
  private readonly verified = new WeakSet<object>();

  constructor(private readonly options: StatusWriterOptions) {}

  /**
   * Whether the planned status must be written: it differs from the stored one, or the stored one
   * was not written by this controller. Cheap for an object already checked in this version.
   */
  needsWrite(key: string, planned: PlannedStatus, plan: RoundPlan): boolean {
    const object = this.options.overlay.resolve(key, planned.object);
    if (object === undefined) return false;
    if (object !== planned.object) return true;
    if (statusChanged(object.status, planned.wanted)) return true;
    if (this.verified.has(object)) return false;
    const foreign = this.foreign(key, object, plan.invalid.get(key)).length > 0;
    if (!foreign) this.verified.add(object);
    return foreign;
  }

  /** Writes the status of `Kind/namespace/name` the round planned, if it must be. */
  async reconcile(key: string, plan: RoundPlan): Promise<void> {
    const planned = plan.statuses.get(key);
    if (planned === undefined) return;
    const statusKind = STATUS_KINDS[planned.kind];
    const definition = findKind(planned.kind);
    const latest = this.options.latest?.(key) ?? planned.object;
    const object = this.options.overlay.resolve(key, latest);
    if (statusKind === undefined || definition === undefined || object === undefined) return;
    const now = plan.at.getTime();
    const { namespace } = object.metadata;
    const name = object.metadata.name ?? '';
    const invalid = plan.invalid.get(key);
    const stored = object.status as Readonly<Record<string, unknown>> | undefined;
    const foreign = this.foreign(key, object, invalid);
    // A status someone else wrote is never an input: compute from what this controller wrote.
    const mine = this.written.get(key);
    const trusted =
      foreign.length === 0
        ? object
        : { ...object, status: mine?.uid === object.metadata.uid ? mine?.status : undefined };
    let wanted = planned.wanted;
    if (trusted !== planned.object) {
      // Our own newer write, or a foreign status: the plan merged with another stored status.
      wanted = statusKind.compute(trusted as OosObject, plan, now) as Record<string, unknown>;
      if (invalid?.part === 'spec') wanted = withValidCondition(wanted, stored, invalid, now);
    }
    if (foreign.length === 0 && !statusChanged(stored, wanted)) return;
    const resource = oosResource(definition);
    const written = await this.options.rest.request<unknown>(
      'PATCH',
      objectPath(resource, namespace, name, 'status'),
      { body: statusReplacement(wanted), contentType: JSON_PATCH },
    );
    this.options.metrics.statusWrites.inc({ kind: planned.kind });
    const parsed = definition.schema.safeParse(written);
    if (parsed.success) {
      const data = parsed.data as OosObject;
      // What was asked for, when it is what was written: one copy, the plan's, not a second.
      const status = sameJson(data.status, wanted) ? wanted : data.status;
      this.written.set(key, { uid: data.metadata.uid, status });
      this.options.overlay.record(key, data);
      // Forgotten at once if the watch delivered the write before its answer came.
      this.options.overlay.resolve(key, this.options.latest?.(key));
    } else {
      // A spec the schema refuses: what was written cannot be read back the way the cache reads it.
      this.written.delete(key);
    }
    this.options.logger.debug({ kind: planned.kind, namespace, name }, 'status written');
    if (foreign.length > 0) {
      this.options.metrics.statusRepairs.inc({ kind: planned.kind });
      this.options.logger.warn(
        { kind: planned.kind, namespace, name, foreign },
        'repaired a status the controller did not write',
      );
      this.options.events.emit({
        regarding: subjectOf(object),
        type: 'Warning',
        reason: 'StatusRepaired',
        action: 'UpdateStatus',
        note: `The status was not written by the oos controller (${foreign.join('; ')}); oos never acts on it and rewrote it from the facts.`,
      });
    }
    this.recordTransitions(trusted as OosObject, wanted);
  }

  /**
   * The cache now holds a newer version of `Kind/namespace/name` (a watch event changed its
   * status): the write remembered for it is forgotten if the cache has caught up with it, and
   * not only when the status is next checked, which behind the queue of a first round's 16,000
   * writes is minutes later. Returns whether the stored status must be checked again: it is not,
   * exactly, the one this controller last wrote to this object (the echo of its own write needs
   * no check; anyone else's write is checked, and repaired if it is not true).
   */
  observe(key: string): boolean {
    const object = this.options.latest?.(key);
    this.options.overlay.resolve(key, object);
    const mine = this.written.get(key);
    if (object === undefined || mine === undefined || mine.uid !== object.metadata.uid) return true;
    return this.foreign(key, object, undefined).length > 0;
  }

  /**
   * The status this controller last wrote to `object`, when the object (a watch event's, as the
   * apiserver sent it) carries exactly that status: the cache keeps this very one instead of the
   * event's equal copy (GovernanceCache.shareOwnStatuses). Undefined for any other status.
   */
  ownStatus(object: {
    readonly kind?: unknown;
    readonly metadata?: {
      readonly name?: string;
      readonly namespace?: string;
      readonly uid?: string;
    };
    readonly status?: unknown;
  }): unknown {
    const { kind, metadata, status } = object;
    if (typeof kind !== 'string' || status === undefined) return undefined;
    const mine = this.written.get(invalidKey(kind, metadata?.namespace, metadata?.name ?? ''));
    if (mine === undefined || mine.uid !== metadata?.uid) return undefined;
    return sameJson(mine.status, status) ? mine.status : undefined;
  }

  /** Forgets what it wrote to objects that are gone. */
  prune(present: { has(key: string): boolean }): void {
    for (const key of this.written.keys()) {
      if (present.has(key)) continue;
      this.written.delete(key);
      this.options.overlay.forget(key);
    }
  }

  /** Why the stored status cannot be the controller's own, if it cannot. */
  private foreign(key: string, object: OosObject, invalid: SchemaIssues | undefined): string[] {
    const why: string[] = [];
    if (invalid?.part === 'status') {
      why.push(`it did not match the schema: ${invalid.issues.join('; ')}`);
    }
    const times = foreignTimes(object.status);
    if (times.length > 0) why.push(`date-times oos never writes at ${times.join(', ')}`);
    const mine = this.written.get(key);
    if (why.length === 0 && mine !== undefined && mine.uid === object.metadata.uid) {
      if (!sameJson(mine.status ?? {}, object.status ?? {})) {
        why.push('it changed since the controller last wrote it');
      } else if (mine.status !== object.status) {
        // The stored status is what was written: remember that one, and drop the second copy.
        this.written.set(key, { uid: mine.uid, status: object.status });
      }
    }
    return why;
  }

  private recordTransitions(object: OosObject, wanted: Readonly<Record<string, unknown>>): void {
    const after = wanted.conditions as readonly Condition[] | undefined;
    const before = object.status?.conditions;
    for (const type of [CONDITION_READY, CONDITION_SUSPENDED]) {
      const next = findCondition(after, type);
      const previous = findCondition(before, type);
      if (next === undefined || previous?.status === next.status) continue;
      if (previous === undefined && (type !== CONDITION_READY || next.status === 'True')) continue;
      const warning = type === CONDITION_READY ? next.status === 'False' : next.status === 'True';
      this.options.events.emit({
        regarding: subjectOf(object),
        type: warning ? 'Warning' : 'Normal',
        reason: type === CONDITION_SUSPENDED ? (warning ? 'Suspended' : 'Resumed') : next.reason,
        action: 'UpdateStatus',
        note: next.message ?? '',
      });
    }
  }
}
