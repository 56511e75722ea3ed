/**
 * The server side of the admission soak (`admission-soak.ts` forks it): the admission server
 * as the operator builds it (`buildApp()` over HTTPS, a prometheus registry with the default
 * process metrics, an info-level pino log line per decision to a stdout the parent discards),
 * deciding against the large governance. It answers every IPC message with a sample of its
 * memory and connections.
 */
import type { Socket } from 'node:net';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildSnapshot } from '../engine/index.js';
import { NOW } from '../engine/testing/fixtures.js';
import { buildApp } from '../webhooks/app.js';
import type { KeyPair } from '../webhooks/tls/pki.js';
import { fixedGovernance } from '../webhooks/testing/fixed-governance.js';
import { largeGovernance } from './large-governance.js';

export interface ServerSample {
  readonly memory: NodeJS.MemoryUsage;
  /** TLS connections accepted since the start, and open now. */
  readonly accepted: number;
  readonly open: number;
}

async function serve(): Promise<void> {
  const serving = JSON.parse(process.env.OOS_SOAK_SERVING ?? '{}') as KeyPair;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oos_process_' });
  const snapshot = buildSnapshot(largeGovernance());
  const app = buildApp({
    governance: fixedGovernance(snapshot),
    registry,
    // As the operator logs: one line per decision, to stdout (discarded by the parent).
    logger: pino({ level: 'info', base: { component: 'oos' } }),
    tls: { current: () => serving, onChange: () => undefined },
    clock: () => NOW,
  });
  // An experiment knob: Node's default (5000) to compare with the product's setting.
  const keepAlive = Number(process.env.OOS_SOAK_SERVER_KEEP_ALIVE_MS);
  if (keepAlive > 0) app.server.keepAliveTimeout = keepAlive;
  let accepted = 0;
  let open = 0;
  app.server.on('secureConnection', (socket: Socket) => {
    accepted += 1;
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  process.on('message', () => {
    const sample: ServerSample = { memory: process.memoryUsage(), accepted, open };
    process.send?.(sample);
  });
  process.send?.({ port });
  process.on('disconnect', () => {
    void app.close().then(() => process.exit(0));
  });
}

await serve();
