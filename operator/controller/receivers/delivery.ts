import type { Logger } from 'pino';
import { backoffDelay } from '../../cache/backoff.js';
import type { ErrorCode } from '../../../api/error-codes.js';

export interface DeliveryOptions {
  /** Shown in logs and metrics, e.g. `alertmanager`. */
  readonly name: string;
  readonly url: string;
  readonly logger: Logger;
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
  /** Base of the exponential backoff between attempts. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onOutcome?: (outcome: 'delivered' | 'retried' | 'failed') => void;
}

/** A failure worth retrying: the network, a timeout, 408, 429 or a 5xx. */
export class DeliveryError extends Error {
  readonly code = 'OOS_ERR_DELIVERY' satisfies ErrorCode;
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * POSTs JSON bodies to one URL, each retried with exponential backoff (jittered, 1 s doubling to
 * 5 min, 8 attempts by default) until it is accepted or the attempts run out. Deliveries are
 * independent and kept in memory: a restart loses the ones still being retried.
 */
export class Delivery {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: DeliveryOptions) {}

  post(body: unknown): void {
    this.attempt(JSON.stringify(body), 0);
  }

  /** Cancels pending retries and waits for requests in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.inflight]);
  }

  /** Waits until no request is in flight (retries may still be scheduled). */
  async flush(): Promise<void> {
    await Promise.all([...this.inflight]);
  }

  private attempt(payload: string, attempt: number): void {
    if (this.stopped) return;
    const running = this.send(payload).then(
      () => {
        this.options.onOutcome?.('delivered');
      },
      (error: unknown) => {
        const retryable = !(error instanceof DeliveryError) || error.retryable;
        const last = attempt + 1 >= (this.options.maxAttempts ?? 8);
        const message = error instanceof Error ? error.message : String(error);
        if (!retryable || last || this.stopped) {
          this.options.onOutcome?.('failed');
          this.options.logger.error(
            { receiver: this.options.name, attempts: attempt + 1, err: message },
            'giving up delivering a notification',
          );
          return;
        }
        const delay = backoffDelay(attempt, {
          baseMs: this.options.baseDelayMs ?? 1000,
          maxMs: this.options.maxDelayMs ?? 300_000,
        });
        this.options.onOutcome?.('retried');
        this.options.logger.warn(
          { receiver: this.options.name, attempt: attempt + 1, retryInMs: delay, err: message },
          'notification not delivered; retrying',
        );
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(payload, attempt + 1);
        }, delay);
        timer.unref();
        this.timers.add(timer);
      },
    );
    this.inflight.add(running);
    void running.finally(() => this.inflight.delete(running));
  }

  private async send(payload: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(
        `POST ${this.options.url}: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return;
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new DeliveryError(
      `POST ${this.options.url}: ${response.status} ${text.slice(0, 200)}`,
      retryable,
    );
  }
}
