import type { Logger } from 'pino';
import { Delivery } from './delivery.js';
import type { Notification, Receiver } from './notification.js';

/** The alertname of every alert oos sends. */
export const ALERT_NAME = 'OOSEscalation';

/** One alert of Alertmanager's v2 API (`POST /api/v2/alerts`). */
export interface Alert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string;
}

/**
 * The alerts for one notification. Labels: alertname, namespace, escalation, trigger, severity
 * (lowercase, as Prometheus rules write it), level, capability, role, subject_kind, subject. An
 * alert is identified by its labels, so raising a level ends the previous level's alert;
 * resolving ends the current one. Open alerts end at `validUntil` unless re-sent (refresh).
 */
export function alertsFor(notification: Notification, validUntil: string): Alert[] {
  const { escalation: e } = notification;
  const labels = (level: number): Record<string, string> => ({
    alertname: ALERT_NAME,
    namespace: e.namespace,
    escalation: e.name,
    trigger: e.trigger,
    severity: e.severity.toLowerCase(),
    level: String(level),
    ...(e.capability === undefined ? {} : { capability: e.capability }),
    ...(e.accountableRole === undefined ? {} : { role: e.accountableRole }),
    subject_kind: e.subject.kind,
    subject: e.subject.name,
  });
  const annotations = {
    summary: e.summary,
    ...(notification.notify.length === 0
      ? {}
      : { notified_roles: notification.notify.map((n) => n.role).join(',') }),
    ...(e.acknowledgedBy === undefined ? {} : { acknowledged_by: e.acknowledgedBy }),
  };
  const current: Alert = {
    labels: labels(e.level),
    annotations,
    startsAt: e.openedAt,
    endsAt: notification.event === 'resolved' ? notification.at : validUntil,
  };
  if (notification.event !== 'raised' || e.level <= 1) return [current];
  return [
    current,
    { labels: labels(e.level - 1), annotations, startsAt: e.openedAt, endsAt: notification.at },
  ];
}

export interface AlertmanagerOptions {
  /** Base URL, e.g. http://127.0.0.1:9093 (the v2 alerts path is added). */
  readonly url: string;
  readonly logger: Logger;
  /** How long an open alert stays active without being re-sent. */
  readonly validForMs: number;
  readonly clock: () => Date;
  readonly onOutcome?: (outcome: 'delivered' | 'retried' | 'failed') => void;
}

/** Sends escalations to Alertmanager, retried with backoff. */
export class AlertmanagerReceiver implements Receiver {
  readonly name = 'alertmanager';
  private readonly delivery: Delivery;

  constructor(private readonly options: AlertmanagerOptions) {
    this.delivery = new Delivery({
      name: this.name,
      url: `${options.url.replace(/\/+$/, '')}/api/v2/alerts`,
      logger: options.logger,
      ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
    });
  }

  send(notification: Notification): void {
    const validUntil = new Date(this.options.clock().getTime() + this.options.validForMs);
    this.delivery.post(alertsFor(notification, validUntil.toISOString()));
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }
}
