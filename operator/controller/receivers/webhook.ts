import type { Logger } from 'pino';
import { Delivery } from './delivery.js';
import type { Notification, Receiver } from './notification.js';

/** The version of the JSON the webhook receives; bumped on incompatible changes. */
export const WEBHOOK_PAYLOAD_VERSION = 'oos.dev/v1alpha1';

/**
 * Sends every escalation step as JSON to a URL: `{version, event, at, escalation, notify}` (see
 * docs/operations.md), retried with backoff. `refresh` steps are Alertmanager's keep-alives and
 * are not sent here.
 */
export class WebhookReceiver implements Receiver {
  readonly name = 'webhook';
  private readonly delivery: Delivery;

  constructor(options: {
    readonly url: string;
    readonly logger: Logger;
    readonly onOutcome?: (outcome: 'delivered' | 'retried' | 'failed') => void;
  }) {
    this.delivery = new Delivery({
      name: this.name,
      url: options.url,
      logger: options.logger,
      ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
    });
  }

  send(notification: Notification): void {
    if (notification.event === 'refresh') return;
    this.delivery.post({ version: WEBHOOK_PAYLOAD_VERSION, ...notification });
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }
}
