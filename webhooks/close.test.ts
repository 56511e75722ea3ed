import { Agent, request } from 'node:http';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../engine/testing/fixtures.js';
import { buildApp, type AdmissionApp } from './app.js';
import { closeGracefully } from './close.js';
import { fixedGovernance } from './testing/fixed-governance.js';

async function serve(): Promise<{ app: AdmissionApp; port: number }> {
  const governance = snapshot();
  const app = buildApp({
    governance: fixedGovernance(governance),
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port };
}

interface Answer {
  readonly status: number | string;
  readonly connection: string | undefined;
}

/** GET /healthz on `agent`; the status (or the error code) and the Connection header. */
function healthz(port: number, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ status: error.code ?? error.message, connection: undefined });
    });
    req.end();
  });
}

describe('closeGracefully', () => {
  it('answers what still comes on a kept-alive connection with Connection: close, then closes', async () => {
    const { app, port } = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await healthz(port, agent);
      expect(before).toEqual({ status: 200, connection: 'keep-alive' });
      // The apiserver sends one more review on its kept-alive connection while the replica stops.
      const closing = closeGracefully(app, { drainMs: 30_000 });
      const during = await healthz(port, agent);
      expect(during).toEqual({ status: 200, connection: 'close' });
      // That closed the last connection: the drain ends without waiting its 30 s, and the server
      // accepts nothing more.
      await closing;
      const after = await healthz(port, new Agent());
      expect(after.status).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  it('closes idle connections that the drain saw no request on', async () => {
    const { app, port } = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await healthz(port, agent)).status).toBe(200);
      await closeGracefully(app, { drainMs: 200, graceMs: 200 });
      const after = await healthz(port, new Agent());
      expect(after.status).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
    }
  });
});
