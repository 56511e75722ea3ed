import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { GovernanceCache } from '../cache/governance-cache.js';
import { startElectedController } from '../leader/index.js';
import { KubeRest } from '../kube/rest.js';
import { apiAccess } from '../kube/config.js';
import { controllerMetricsBytes } from '../metrics/controller-metrics.js';
import type { ControllerThreadData, FromController, ToController } from './messages.js';
import { lowerThreadPriority } from './priority.js';

/**
 * The controller thread's entry (see `host.ts`): its own kube client, its own governance
 * informers, the workload informers, the elected controller and its metrics. Nothing it does
 * runs on the admission thread's event loop or in its heap.
 */
const port = parentPort;
if (port === null) throw new Error('operator/controller-thread/worker.ts runs as a worker thread');
const { config, operatorUser } = workerData as ControllerThreadData;
const send = (message: FromController, transfer: readonly ArrayBuffer[] = []): void => {
  port.postMessage(message, transfer);
};

const logger = pino({ level: config.logLevel, base: { component: 'oos', thread: 'controller' } });
const registry = new Registry();
new Gauge({
  name: 'oos_controller_heap_bytes',
  help: "The controller thread's JavaScript heap: used, total (reserved) and limit, in bytes.",
  labelNames: ['space'],
  registers: [registry],
  collect() {
    const heap = getHeapStatistics();
    this.set({ space: 'used' }, heap.used_heap_size);
    this.set({ space: 'total' }, heap.total_heap_size);
    this.set({ space: 'limit' }, heap.heap_size_limit);
  },
});

try {
  const nice = lowerThreadPriority(config.controllerNice);
  if (nice !== undefined)
    logger.info({ nice }, "the controller thread runs below admission's CPU priority");
} catch (err) {
  logger.warn(
    { err },
    "the controller thread's CPU priority could not be lowered; it runs at admission's",
  );
}

const rest = new KubeRest(apiAccess(config));
const cache = new GovernanceCache({
  rest,
  logger,
  engine: { operatorNamespace: config.namespace, operatorUser },
  onWatchRestart: (kind, cause) => {
    send({ type: 'watch-restart', kind, cause });
  },
});
cache.start();
// The Lease is contended for only once governance is known, as the admission thread publishes
// its webhooks only then.
while (!cache.synced()) await new Promise((resolve) => setTimeout(resolve, 100));
const controller = startElectedController({ rest, cache, registry, logger, config });

let stopping = false;
port.on('message', (message: ToController) => {
  if (message.type === 'metrics') {
    void controllerMetricsBytes(registry).then((bytes) => {
      send({ type: 'metrics', id: message.id, bytes }, [bytes.buffer]);
    });
    return;
  }
  if (stopping) return;
  stopping = true;
  void (async () => {
    await controller.stop();
    await cache.stop();
    // The thread ends once nothing is left to run; the admission thread waits for its exit.
    port.close();
  })();
});
