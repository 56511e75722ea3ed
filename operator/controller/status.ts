import type { Logger } from 'pino';
import {
  accountableRoleKind,
  capabilityKind,
  CONDITION_READY,
  delegationKind,
  exemptionKind,
  type AccountableRole,
  type Capability,
  type Condition,
  type Delegation,
  type Exemption,
  type KindDefinition,
} from '../../api/index.js';
import { objectKey } from '../../engine/snapshot.js';
import {
  accountableRoleStatus,
  capabilityStatus,
  CONDITION_SUSPENDED,
  delegationStatus,
  exemptionStatus,
  findCondition,
  NO_WORKLOADS,
  statusChanged,
} from '../../engine/status/index.js';
import type { KubeRest } from '../kube/rest.js';
import type { PlanContext } from './context.js';
import type { EventRecorder, EventSubject } from './events/recorder.js';
import type { WriteOverlay } from './overlay.js';
import { MERGE_PATCH, objectPath, oosResource } from './paths.js';

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
};

/** `status/<Kind>/<namespace>/<name>`: the queue key of one object's status. */
export function statusKey(object: OosObject): string {
  return `status/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** The JSON merge patch that turns `stored` into `wanted` (null removes a field). */
export function statusPatch(
  stored: Readonly<Record<string, unknown>> | undefined,
  wanted: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...wanted };
  for (const key of Object.keys(stored ?? {})) if (!(key in wanted)) patch[key] = null;
  return patch;
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
}

/**
 * Keeps the status of AccountableRoles, Capabilities, Delegations and Exemptions true: computes
 * it with the engine and writes it (status subresource, merge patch) only when it changed; a
 * change of Ready, or of a Capability's Suspended condition, is also recorded as an Event.
 */
export class StatusWriter {
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
    const wanted = statusKind.compute(object, context, now) as Record<string, unknown>;
    const stored = object.status as Readonly<Record<string, unknown>> | undefined;
    if (!statusChanged(stored, wanted)) return;
    const resource = oosResource(statusKind.definition);
    const written = await this.options.rest.request<unknown>(
      'PATCH',
      objectPath(resource, object.metadata.namespace, name, 'status'),
      { body: { status: statusPatch(stored, wanted) }, contentType: MERGE_PATCH },
    );
    const parsed = statusKind.definition.schema.safeParse(written);
    if (parsed.success) this.options.overlay.record(key, parsed.data as OosObject);
    this.options.logger.debug({ kind: kindName, namespace, name }, 'status written');
    this.recordTransitions(object, wanted);
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
