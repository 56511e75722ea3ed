import type { Logger } from 'pino';
import {
  API_VERSION,
  escalationKind,
  escalationSchema,
  type Escalation,
  type ObjectReference,
} from '../../api/index.js';
import {
  episodeName,
  isResolved,
  LABEL_ESCALATION_EPISODE,
  LABEL_ESCALATION_KEY,
  LABEL_MANAGED_BY,
  MANAGED_BY_OOS,
  managedKey,
  openedAt,
  planEpisode,
  routingByName,
  trustEpisode,
  type Cause,
  type EpisodeMemory,
  type EpisodePlan,
  type TrustedEpisode,
} from '../../engine/escalation/index.js';
import { currentHolders } from '../../engine/index.js';
import { invalidKey, statusChanged } from '../../engine/status/index.js';
import { formatTime, parseTime } from '../../engine/time.js';
import type { KubeRest } from '../kube/rest.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanContext } from './context.js';
import { isAlreadyExists, isNamespaceGone, isNotFound } from '../kube/errors.js';
import type { EventRecorder, EventSubject } from './events/recorder.js';
import type { WriteOverlay } from './overlay.js';
import { collectionPath, JSON_PATCH, MERGE_PATCH, objectPath, oosResource } from './paths.js';
import type { Contact, Notification, Receiver } from './receivers/notification.js';
import { statusReplacement, subjectOf } from './status.js';

const RESOURCE = oosResource(escalationKind);

/** The episode number of a managed Escalation (1 when the label is missing or unreadable). */
export function episodeOf(escalation: Escalation): number {
  const text = escalation.metadata.labels?.[LABEL_ESCALATION_EPISODE];
  const n = text === undefined ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export { managedKey };

/** The Escalation the controller creates for a cause, as its `episode`-th. */
export function escalationFor(cause: Cause, episode: number): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'Escalation',
    metadata: {
      name: episodeName(cause.name, episode),
      namespace: cause.namespace,
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY_OOS,
        [LABEL_ESCALATION_KEY]: cause.key,
        [LABEL_ESCALATION_EPISODE]: String(episode),
      },
    },
    spec: {
      trigger: cause.trigger,
      severity: cause.severity,
      subject: cause.subject,
      ...(cause.capability === undefined ? {} : { capability: cause.capability }),
      ...(cause.accountableRole === undefined ? {} : { accountableRole: cause.accountableRole }),
      ...(cause.policy === undefined ? {} : { policy: cause.policy }),
      summary: cause.summary,
      acknowledged: false,
    },
  };
}

export interface EscalationWriterOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly events: EventRecorder;
  readonly overlay: WriteOverlay<Escalation>;
  readonly receivers: readonly Receiver[];
  readonly metrics: ControllerMetrics;
  /** Queues the key again after `delayMs` (after a name conflict with a write not yet cached). */
  readonly requeue: (delayMs: number) => void;
}

/**
 * Opens, advances, resolves and finally deletes the Escalations of one cause (all its episodes):
 * writes what the engine plans, then records Events on the Escalation and its subject and tells
 * the receivers. Side effects follow a successful write, so a retry never notifies twice.
 */
export class EscalationWriter {
  /** What this controller wrote to each Escalation, by uid: the facts its status is checked against. */
  private readonly memory = new Map<string, EpisodeMemory>();

  constructor(private readonly options: EscalationWriterOptions) {}

  async reconcile(namespace: string, key: string, context: PlanContext, now: Date): Promise<void> {
    const cause = context.causes.get(`${namespace}/${key}`);
    const episodes = this.episodes(namespace, key, context).map((escalation, i, all) =>
      this.trust(escalation, cause, i === all.length - 1, context, now),
    );
    let created: Escalation | undefined;
    if (cause !== undefined && episodes.every((e) => isResolved(e.escalation))) {
      created = await this.create(
        cause,
        Math.max(0, ...episodes.map((e) => episodeOf(e.escalation))) + 1,
      );
      if (created === undefined) return;
      episodes.push({ escalation: created, repairs: [] });
    }
    for (const episode of episodes) {
      await this.advance(episode, cause, context, now, episode.escalation === created);
    }
  }

  /** Forgets the Escalations that are gone (by uid). */
  prune(present: ReadonlySet<string>): void {
    for (const uid of this.memory.keys()) if (!present.has(uid)) this.memory.delete(uid);
  }

  /** The stored Escalation reduced to what the controller can trust (engine/escalation/trust.ts). */
  private trust(
    escalation: Escalation,
    cause: Cause | undefined,
    newest: boolean,
    context: PlanContext,
    now: Date,
  ): TrustedEpisode {
    const uid = escalation.metadata.uid;
    return trustEpisode(escalation, {
      causePresent: cause !== undefined,
      newest,
      memory: uid === undefined ? undefined : this.memory.get(uid),
      routing: routingByName(
        context.snapshot,
        escalation.metadata.namespace ?? '',
        escalation.spec.policy,
      ),
      now: now.getTime(),
    });
  }

  private remember(escalation: Escalation): void {
    const uid = escalation.metadata.uid;
    if (uid === undefined) return;
    const { status } = escalation;
    this.memory.set(uid, {
      level: status?.level ?? 0,
      notifiedRoles: status?.notifiedRoles ?? [],
      resolvedAt: isResolved(escalation) ? (parseTime(status?.resolvedAt) ?? undefined) : undefined,
    });
  }

  /** The managed Escalations of a cause, newest write first (overlay over cache). */
  private episodes(namespace: string, key: string, context: PlanContext): Escalation[] {
    const byName = new Map<string, Escalation>();
    for (const e of context.episodes.get(`${namespace}/${key}`) ?? []) {
      byName.set(e.metadata.name ?? '', e);
    }
    for (const e of this.options.overlay.pending()) {
      if (e.metadata.namespace === namespace && managedKey(e) === key) {
        byName.set(e.metadata.name ?? '', byName.get(e.metadata.name ?? '') ?? e);
      }
    }
    return [...byName.entries()]
      .map(([name, e]) => this.options.overlay.resolve(`${namespace}/${name}`, e) ?? e)
      .sort((a, b) => episodeOf(a) - episodeOf(b));
  }

  private async create(cause: Cause, episode: number): Promise<Escalation | undefined> {
    let written: unknown;
    try {
      written = await this.options.rest.request('POST', collectionPath(RESOURCE, cause.namespace), {
        body: escalationFor(cause, episode),
      });
    } catch (error) {
      if (isAlreadyExists(error)) {
        // Created by an earlier round whose write the cache has not delivered yet.
        this.options.requeue(1000);
        return undefined;
      }
      if (isNamespaceGone(error)) return undefined;
      throw error;
    }
    const escalation = escalationSchema.parse(written);
    this.options.overlay.record(`${cause.namespace}/${escalation.metadata.name ?? ''}`, escalation);
    this.remember(escalation);
    this.options.metrics.escalationsTotal.inc({ trigger: cause.trigger, severity: cause.severity });
    this.options.logger.info(
      { namespace: cause.namespace, escalation: escalation.metadata.name, trigger: cause.trigger },
      'escalation opened',
    );
    return escalation;
  }

  private async advance(
    trusted: TrustedEpisode,
    cause: Cause | undefined,
    context: PlanContext,
    now: Date,
    fresh: boolean,
  ): Promise<void> {
    const { escalation, repairs } = trusted;
    const namespace = escalation.metadata.namespace ?? '';
    const name = escalation.metadata.name ?? '';
    const routing = routingByName(context.snapshot, namespace, escalation.spec.policy);
    const plan = planEpisode(escalation, cause, routing, now.getTime());
    const uid = escalation.metadata.uid;
    if (plan.resolved && cause === undefined && uid !== undefined && !this.memory.has(uid)) {
      // A resolution that agrees with the facts (the cause is gone) is adopted as this
      // controller's own: if the cause comes back, a new episode opens.
      this.memory.set(uid, {
        level: plan.status.level ?? 0,
        notifiedRoles: plan.status.notifiedRoles ?? [],
        resolvedAt: parseTime(plan.status.resolvedAt),
      });
    }
    if (plan.resolved && plan.expiresAt !== undefined && plan.expiresAt <= now.getTime()) {
      await this.delete(namespace, name);
      return;
    }
    let current = escalation;
    if (plan.spec !== undefined) {
      current = await this.write(namespace, name, { spec: plan.spec }, undefined);
    }
    if (repairs.length === 0 && !statusChanged(current.status, plan.status)) return;
    current = await this.write(namespace, name, statusReplacement(plan.status), 'status');
    this.remember(current);
    if (repairs.length > 0) this.reportRepair(current, repairs, context);
    this.announce(current, plan, context, now, fresh);
  }

  private reportRepair(escalation: Escalation, repairs: readonly string[], context: PlanContext) {
    this.options.metrics.statusRepairs.inc({ kind: 'Escalation' });
    this.options.logger.warn(
      { namespace: escalation.metadata.namespace, escalation: escalation.metadata.name, repairs },
      'repaired an escalation status the controller did not write',
    );
    this.options.events.emit({
      regarding: subjectOf(escalation),
      related: this.subject(escalation.spec.subject, context),
      type: 'Warning',
      reason: 'StatusRepaired',
      action: 'UpdateStatus',
      note: `The status was not written by the oos controller (${repairs.join('; ')}); oos never acts on it and rewrote it from the facts.`,
    });
  }

  private async write(
    namespace: string,
    name: string,
    body: Record<string, unknown> | unknown[],
    subresource: 'status' | undefined,
  ): Promise<Escalation> {
    const written = await this.options.rest.request(
      'PATCH',
      objectPath(RESOURCE, namespace, name, subresource),
      { body, contentType: Array.isArray(body) ? JSON_PATCH : MERGE_PATCH },
    );
    const escalation = escalationSchema.parse(written);
    this.options.overlay.record(`${namespace}/${name}`, escalation);
    return escalation;
  }

  private async delete(namespace: string, name: string): Promise<void> {
    try {
      await this.options.rest.request('DELETE', objectPath(RESOURCE, namespace, name));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.options.overlay.forget(`${namespace}/${name}`);
    this.options.logger.info(
      { namespace, escalation: name },
      'resolved escalation deleted after its retention',
    );
  }

  /** Events on the Escalation and its subject, and the receivers, for what just happened. */
  private announce(
    escalation: Escalation,
    plan: EpisodePlan,
    context: PlanContext,
    now: Date,
    fresh: boolean,
  ): void {
    const self = subjectOf(escalation);
    const subject = this.subject(escalation.spec.subject, context);
    const emit = (type: 'Normal' | 'Warning', reason: string, note: string): void => {
      for (const regarding of [self, subject]) {
        this.options.events.emit({
          regarding,
          related: regarding === self ? subject : self,
          type,
          reason,
          action: 'Escalate',
          note,
        });
      }
    };
    const { spec } = escalation;
    if (fresh) {
      emit('Warning', 'EscalationOpened', `${spec.trigger} (${spec.severity}): ${spec.summary}`);
    }
    for (const raised of plan.raised) {
      emit(
        'Warning',
        'EscalationLevelRaised',
        `Level ${raised.level} of ${spec.trigger} escalation ${escalation.metadata.name ?? ''} notified: ${raised.roles.length === 0 ? 'no role' : `roles ${raised.roles.join(', ')}`}.`,
      );
      this.notify(
        escalation,
        fresh && raised.level === 1 ? 'opened' : 'raised',
        raised.roles,
        context,
        now,
      );
    }
    if (plan.acknowledgedNow) {
      emit(
        'Normal',
        'EscalationAcknowledged',
        `Acknowledged by ${spec.acknowledgedBy ?? 'a person'}${spec.acknowledgementNote === undefined ? '' : `: ${spec.acknowledgementNote}`}.`,
      );
      this.notify(escalation, 'acknowledged', [], context, now);
    }
    if (plan.resolvedNow) {
      emit(
        'Normal',
        'EscalationResolved',
        `${spec.trigger} escalation resolved: the cause is gone.`,
      );
      this.notify(escalation, 'resolved', [], context, now);
    }
  }

  /** Tells every receiver about one step (also used to refresh open alerts). */
  notify(
    escalation: Escalation,
    event: Notification['event'],
    roles: readonly string[],
    context: PlanContext,
    now: Date,
  ): void {
    if (this.options.receivers.length === 0) return;
    const { spec, status, metadata } = escalation;
    const notification: Notification = {
      event,
      at: now.toISOString(),
      escalation: {
        namespace: metadata.namespace ?? '',
        name: metadata.name ?? '',
        trigger: spec.trigger,
        severity: spec.severity,
        level: status?.level ?? 0,
        subject: spec.subject,
        capability: spec.capability,
        accountableRole: spec.accountableRole,
        policy: spec.policy,
        summary: spec.summary,
        openedAt: formatTime(openedAt(escalation, now.getTime())),
        acknowledgedBy: spec.acknowledgedBy,
        resolvedAt: status?.resolvedAt,
      },
      notify: roles.map((role) => ({ role, holders: this.contacts(role, context, now) })),
    };
    for (const receiver of this.options.receivers) receiver.send(notification);
  }

  private contacts(role: string, context: PlanContext, now: Date): Contact[] {
    const found = context.snapshot.roles.get(role);
    if (found === undefined) return [];
    const current = new Set(currentHolders(found, now.getTime()).map((h) => h.user));
    return found.role.spec.holders
      .filter((holder) => current.has(holder.user))
      .map((holder) => ({ name: holder.name, email: holder.email, user: holder.user }));
  }

  /** The subject as an event target, with its uid when the controller knows the object. */
  private subject(reference: ObjectReference, context: PlanContext): EventSubject {
    const uid = context.uids.get(invalidKey(reference.kind, reference.namespace, reference.name));
    return { ...reference, uid };
  }
}
