import type { Logger } from 'pino';
import {
  accountableRoleKind,
  capabilityKind,
  CONDITION_READY,
  delegationKind,
  exemptionKind,
  governancePolicyKind,
  type AccountableRole,
  type Capability,
  type Condition,
  type Delegation,
  type Exemption,
  type GovernancePolicy,
  type KindDefinition,
} from '../../api/index.js';
import { sameJson } from '../../engine/json.js';
import { objectKey } from '../../engine/snapshot.js';
import {
  accountableRoleStatus,
  capabilityStatus,
  CONDITION_SUSPENDED,
  delegationStatus,
  exemptionStatus,
  findCondition,
  foreignTimes,
  formatSeconds,
  governancePolicyStatus,
  NO_WORKLOADS,
  statusChanged,
} from '../../engine/status/index.js';
import type { InvalidObject } from '../cache/schema-gate.js';
import type { KubeRest } from '../kube/rest.js';
import type { PlanContext } from './context.js';
import type { EventRecorder, EventSubject } from './events/recorder.js';
import type { WriteOverlay } from './overlay.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import { JSON_PATCH, objectPath, oosResource } from './paths.js';

/** An oos object with the fields status reconciling reads. */
export interface OosObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string | undefined;
    readonly namespace?: string | undefined;
    readonly uid?: string | undefined;
    readonly resourceVersion?: string | undefined;
  };
  readonly status?: { readonly conditions?: readonly Condition[] | undefined } | undefined;
}

interface StatusKind<T extends OosObject> {
  readonly definition: KindDefinition;
  readonly list: (context: PlanContext) => readonly T[];
  readonly compute: (object: T, context: PlanContext, now: number) => object;
}

function kind<T extends OosObject>(spec: StatusKind<T>): StatusKind<OosObject> {
  return spec as unknown as StatusKind<OosObject>;
}

/** The kinds whose status the controller keeps true, and how. */
export const STATUS_KINDS: Readonly<Record<string, StatusKind<OosObject>>> = {
  AccountableRole: kind<AccountableRole>({
    definition: accountableRoleKind,
    list: (c) => c.objects.roles ?? [],
    compute: (role, c, now) => accountableRoleStatus(role, c.snapshot, now),
  }),
  Capability: kind<Capability>({
    definition: capabilityKind,
    list: (c) => c.objects.capabilities ?? [],
    compute: (capability, c, now) =>
      capabilityStatus(
        capability,
        c.snapshot,
        c.counts.get(
          objectKey(capability.metadata.namespace ?? '', capability.metadata.name ?? ''),
        ) ?? NO_WORKLOADS,
        now,
      ),
  }),
  Delegation: kind<Delegation>({
    definition: delegationKind,
    list: (c) => c.objects.delegations ?? [],
    compute: (delegation, c, now) => delegationStatus(delegation, c.snapshot, now),
  }),
  Exemption: kind<Exemption>({
    definition: exemptionKind,
    list: (c) => c.objects.exemptions ?? [],
    compute: (exemption, c, now) => exemptionStatus(exemption, c.snapshot, now),
  }),
  GovernancePolicy: kind<GovernancePolicy>({
    definition: governancePolicyKind,
    list: (c) => c.objects.policies ?? [],
    compute: (policy, c, now) => governancePolicyStatus(policy, c.snapshot, now),
  }),
};

/** The condition on an object whose spec the oos schema refuses (absent while it is valid). */
export const CONDITION_VALID = 'Valid';

/** `status/<Kind>/<namespace>/<name>`: the queue key of one object's status. */
export function statusKey(object: OosObject): string {
  return `status/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/**
 * The JSON patch that replaces the whole status with `wanted`: nothing another writer put there
 * survives (fields oos does not know, values it never writes). `add` replaces an existing member.
 */
export function statusReplacement(wanted: Readonly<Record<string, unknown>>): unknown[] {
  return [{ op: 'add', path: '/status', value: wanted }];
}

/** `Kind/namespace/name`: how the plan's invalid objects are keyed. */
export function invalidKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** `wanted` with a Valid=False condition saying the spec is refused and what oos does about it. */
export function withValidCondition(
  wanted: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>> | undefined,
  invalid: InvalidObject,
  now: number,
): Record<string, unknown> {
  const conditions = (wanted.conditions as Condition[] | undefined) ?? [];
  const before = findCondition(stored?.conditions as Condition[] | undefined, CONDITION_VALID);
  const valid: Condition = {
    type: CONDITION_VALID,
    status: 'False',
    reason: 'SchemaMismatch',
    message: `The object does not match the oos schema (${invalid.issues.join('; ')}), so oos keeps using its last valid version: fix the object.`,
    lastTransitionTime: before?.status === 'False' ? before.lastTransitionTime : formatSeconds(now),
  };
  return {
    ...wanted,
    conditions: [...conditions.filter((c) => c.type !== CONDITION_VALID), valid],
  };
}

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

  constructor(private readonly options: StatusWriterOptions) {}

  async reconcile(
    kindName: string,
    namespace: string,
    name: string,
    context: PlanContext,
    now: number,
  ): Promise<void> {
    const statusKind = STATUS_KINDS[kindName];
    if (statusKind === undefined) return;
    const cached = statusKind
      .list(context)
      .find((o) => (o.metadata.namespace ?? '') === namespace && o.metadata.name === name);
    const key = `${kindName}/${namespace}/${name}`;
    const object = this.options.overlay.resolve(key, cached);
    if (cached === undefined || object === undefined) return;
    const invalid = context.invalid.get(invalidKey(kindName, object.metadata.namespace, name));
    const stored = object.status as Readonly<Record<string, unknown>> | undefined;
    const foreign = this.foreign(key, object, invalid);
    // A status someone else wrote is never an input: compute from what this controller wrote.
    const mine = this.written.get(key);
    const trusted =
      foreign.length === 0
        ? object
        : { ...object, status: mine?.uid === object.metadata.uid ? mine?.status : undefined };
    let wanted = statusKind.compute(trusted as OosObject, context, now) as Record<string, unknown>;
    if (invalid?.part === 'spec') wanted = withValidCondition(wanted, stored, invalid, now);
    if (foreign.length === 0 && !statusChanged(stored, wanted)) return;
    const resource = oosResource(statusKind.definition);
    const written = await this.options.rest.request<unknown>(
      'PATCH',
      objectPath(resource, object.metadata.namespace, name, 'status'),
      { body: statusReplacement(wanted), contentType: JSON_PATCH },
    );
    const parsed = statusKind.definition.schema.safeParse(written);
    if (parsed.success) {
      const data = parsed.data as OosObject;
      this.options.overlay.record(key, data);
      this.written.set(key, { uid: data.metadata.uid, status: data.status });
    } else {
      // A spec the schema refuses: what was written cannot be read back the way the cache reads it.
      this.written.delete(key);
    }
    this.options.logger.debug({ kind: kindName, namespace, name }, 'status written');
    if (foreign.length > 0) {
      this.options.metrics.statusRepairs.inc({ kind: kindName });
      this.options.logger.warn(
        { kind: kindName, namespace, name, foreign },
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

  /** Forgets what it wrote to objects that are gone. */
  prune(present: ReadonlySet<string>): void {
    for (const key of this.written.keys()) if (!present.has(key)) this.written.delete(key);
  }

  /** Why the stored status cannot be the controller's own, if it cannot. */
  private foreign(key: string, object: OosObject, invalid: InvalidObject | undefined): string[] {
    const why: string[] = [];
    if (invalid?.part === 'status') {
      why.push(`it did not match the schema: ${invalid.issues.join('; ')}`);
    }
    const times = foreignTimes(object.status);
    if (times.length > 0) why.push(`date-times oos never writes at ${times.join(', ')}`);
    const mine = this.written.get(key);
    if (
      why.length === 0 &&
      mine !== undefined &&
      mine.uid === object.metadata.uid &&
      !sameJson(mine.status ?? {}, object.status ?? {})
    ) {
      why.push('it changed since the controller last wrote it');
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
