import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { OperatorConfig } from '../config.js';
import type { ControllerThreadData, FromController, ToController } from './messages.js';

/** How long a scrape waits for the controller thread before it serves its last metrics. */
const METRICS_WAIT_MS = 2_000;
/** How long a stop waits for the controller to release its Lease before the thread is ended. */
const STOP_WAIT_MS = 15_000;
/** Restarts after an unexpected end wait 1 s, 2 s, 4 s, … up to this. */
const MAX_RESTART_DELAY_MS = 30_000;
/** A thread that ran this long before it ended is restarted after the shortest delay again. */
const HEALTHY_RUN_MS = 60_000;

export interface ControllerThreadOptions {
  readonly config: OperatorConfig;
  readonly operatorUser: string;
  readonly logger: Logger;
  /** The admission thread's `oos_watch_restarts_total`: the controller's informers count there too. */
  readonly watchRestarts: Counter<'kind' | 'cause'>;
  /** `oos_controller_thread_restarts_total{reason}`. */
  readonly threadRestarts: Counter<'reason'>;
}

/**
 * The controller thread's young generation, in MiB (V8's default is 48 on 64-bit: three
 * semi-spaces of 16). A round allocates briskly and keeps little of it: collected more often,
 * this size measured 50-120 MiB less RSS at full size (bench/README.md, "The operator without
 * client-node"). The image gives admission's thread semi-spaces of the same size with
 * `--max-semi-space-size=4` (Dockerfile: it lowered the peak RSS of a first round by 20-29 MiB);
 * from source it keeps V8's default.
 */
export const CONTROLLER_YOUNG_GENERATION_MIB = 12;

/** The entry of the thread: compiled JavaScript in the image, TypeScript through tsx from source. */
function spawn(data: ControllerThreadData, heapMb: number): Worker {
  const resourceLimits = {
    maxYoungGenerationSizeMb: CONTROLLER_YOUNG_GENERATION_MIB,
    ...(heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : {}),
  };
  if (import.meta.url.endsWith('.js')) {
    return new Worker(new URL('./worker.js', import.meta.url), {
      workerData: data,
      resourceLimits,
    });
  }
  // From source (`npm start`, the tests): tsx's loader is per thread, so the thread registers it.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code =
    `import(${JSON.stringify(tsx)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: data, resourceLimits });
}

/**
 * Runs the controller (its informers, rounds, writers and Lease) in a worker thread of its own:
 * its own event loop, so admission never waits behind a round, and its own heap, bounded by
 * `--controller-heap`, so its garbage is collected without pausing admission. A thread that ends
 * unexpectedly (out of memory, an uncaught error) is logged, counted and started again with
 * backoff while admission goes on serving.
 */
/** The controller's metrics while it has none (it is not running). */
const NO_METRICS: Uint8Array = new Uint8Array(0);

export class ControllerThread {
  private worker: Worker | undefined;
  private startedAt = 0;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private nextId = 0;
  private lastMetrics = NO_METRICS;
  private readonly waiting = new Map<number, (bytes: Uint8Array) => void>();

  constructor(private readonly options: ControllerThreadOptions) {}

  start(): void {
    const { config, operatorUser, logger } = this.options;
    const worker = spawn({ config, operatorUser }, config.controllerHeap);
    this.worker = worker;
    this.startedAt = Date.now();
    let error: Error | undefined;
    worker.on('message', (message: FromController) => {
      this.receive(message);
    });
    worker.on('error', (cause) => {
      error = cause;
    });
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.lastMetrics = NO_METRICS;
      this.answerWaiting();
      if (this.stopping) return;
      const reason =
        (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'out-of-memory'
          : error === undefined
            ? 'exit'
            : 'error';
      this.options.threadRestarts.inc({ reason });
      if (Date.now() - this.startedAt >= HEALTHY_RUN_MS) this.failures = 0;
      const delay = Math.min(1_000 * 2 ** this.failures, MAX_RESTART_DELAY_MS);
      this.failures += 1;
      logger.error(
        { err: error, code, reason, restartInMs: delay },
        'the controller thread ended; admission goes on, the controller restarts',
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start();
      }, delay);
    });
  }

  /**
   * The controller's metrics in the text format, UTF-8: fresh, or the last ones while it is busy.
   * Bytes, moved from the controller thread rather than copied: a string would be copied into
   * this thread's heap at each scrape, and the text is about 400 KiB at 5,000 capabilities.
   */
  metrics(): Promise<Uint8Array> {
    const worker = this.worker;
    if (worker === undefined) return Promise.resolve(NO_METRICS);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(this.lastMetrics);
      }, METRICS_WAIT_MS);
      this.waiting.set(id, (bytes) => {
        clearTimeout(timer);
        resolve(bytes);
      });
      worker.postMessage({ type: 'metrics', id } satisfies ToController);
    });
  }

  /** Stops the controller (it releases its Lease) and ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        resolve();
      }),
    );
    worker.postMessage({ type: 'stop' } satisfies ToController);
    const timer = setTimeout(() => {
      this.options.logger.warn('the controller did not stop in time; ending its thread');
      void worker.terminate();
    }, STOP_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }

  private receive(message: FromController): void {
    switch (message.type) {
      case 'metrics': {
        this.lastMetrics = message.bytes;
        this.waiting.get(message.id)?.(message.bytes);
        this.waiting.delete(message.id);
        return;
      }
      case 'watch-restart':
        this.options.watchRestarts.inc({ kind: message.kind, cause: message.cause });
        return;
    }
  }

  private answerWaiting(): void {
    for (const answer of this.waiting.values()) answer(NO_METRICS);
    this.waiting.clear();
  }
}
