import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ObjectReference } from '../../../api/index.js';
import type { KubeRest } from '../../kube/rest.js';
import { isNamespaceGone, isNotFound } from '../../kube/errors.js';
import { MERGE_PATCH } from '../paths.js';
import { EventCorrelator } from './correlator.js';
import { microTime } from './time.js';

/** The object an event is about, with its uid when known (kubectl describe matches on it). */
export interface EventSubject extends ObjectReference {
  readonly uid?: string | undefined;
}

export interface EventSpec {
  readonly regarding: EventSubject;
  readonly related?: EventSubject | undefined;
  readonly type: 'Normal' | 'Warning';
  /** Stable CamelCase reason, e.g. EscalationOpened. */
  readonly reason: string;
  /** What the controller did, e.g. Escalate, Scale. */
  readonly action: string;
  readonly note: string;
}

export interface RecorderOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  /** reportingInstance: the replica that writes. */
  readonly instance: string;
  readonly clock: () => Date;
  readonly onOutcome?: (outcome: 'created' | 'updated' | 'dropped' | 'failed') => void;
}

export const REPORTING_CONTROLLER = 'oos.dev/controller';
const EVENTS = '/apis/events.k8s.io/v1';
const NOTE_MAX = 1024;

function reference(subject: EventSubject): Record<string, string> {
  return {
    apiVersion: subject.apiVersion,
    kind: subject.kind,
    name: subject.name,
    ...(subject.namespace === undefined ? {} : { namespace: subject.namespace }),
    ...(subject.uid === undefined ? {} : { uid: subject.uid }),
  };
}

/**
 * Writes events.k8s.io/v1 Events (kubectl describe and kubectl events show them), rate limited and
 * de-duplicated per object by an {@link EventCorrelator}. Fire and forget: a failed event is
 * logged, never retried, and never fails a reconcile.
 */
export class EventRecorder {
  private readonly correlator: EventCorrelator;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: RecorderOptions) {
    this.correlator = new EventCorrelator({ now: () => options.clock().getTime() });
  }

  emit(spec: EventSpec): void {
    const done = this.write(spec).catch((error: unknown) => {
      if (isNamespaceGone(error)) {
        this.options.onOutcome?.('dropped');
        return;
      }
      this.options.onOutcome?.('failed');
      this.options.logger.warn(
        { reason: spec.reason, regarding: spec.regarding.name, err: String(error) },
        'could not record an event',
      );
    });
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  /** Waits for the events being written (for shutdown and tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.inflight]);
  }

  private async write(spec: EventSpec): Promise<void> {
    const { regarding } = spec;
    // Events about cluster-scoped objects live in the default namespace, as client-go puts them.
    const namespace = regarding.namespace ?? 'default';
    const object = `${regarding.kind}/${namespace}/${regarding.name}`;
    const note = spec.note.length <= NOTE_MAX ? spec.note : `${spec.note.slice(0, NOTE_MAX - 1)}…`;
    const identity = `${spec.type}\u0000${spec.reason}\u0000${note}`;
    const verdict = this.correlator.observe(object, identity, namespace);
    const now = microTime(this.options.clock());
    if (verdict.action === 'drop') {
      this.options.onOutcome?.('dropped');
      return;
    }
    if (verdict.action === 'update') {
      try {
        await this.options.rest.request(
          'PATCH',
          `${EVENTS}/namespaces/${verdict.namespace}/events/${verdict.name}`,
          {
            body: { series: { count: verdict.count, lastObservedTime: now } },
            contentType: MERGE_PATCH,
          },
        );
        this.options.onOutcome?.('updated');
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        this.correlator.forget(object, identity);
      }
    }
    const name = `${regarding.name.slice(0, 230)}.${randomBytes(8).toString('hex')}`;
    await this.options.rest.request('POST', `${EVENTS}/namespaces/${namespace}/events`, {
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name, namespace },
        eventTime: now,
        reportingController: REPORTING_CONTROLLER,
        reportingInstance: this.options.instance.slice(0, 128),
        action: spec.action,
        reason: spec.reason,
        type: spec.type,
        regarding: reference(regarding),
        ...(spec.related === undefined ? {} : { related: reference(spec.related) }),
        note,
      },
    });
    this.correlator.created(object, identity, name);
    this.options.onOutcome?.('created');
  }
}
