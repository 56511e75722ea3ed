import { once } from 'node:events';
import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../engine/testing/fixtures.js';
import { buildApp, KEEP_ALIVE_TIMEOUT_MS, type AdmissionApp } from './app.js';
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
  type KeyPair,
} from './tls/pki.js';
import { fixedGovernance } from './testing/fixed-governance.js';

/** How long the apiserver keeps an idle connection to a webhook (client-go, Go's default). */
const APISERVER_IDLE_CONNECTION_MS = 90_000;

let ca: CertificateAuthority;
let serving: KeyPair;

beforeAll(async () => {
  ca = await createCertificateAuthority('connections-test-ca');
  serving = await issueCertificate(ca, {
    commonName: 'connections-test',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
  });
});

interface Served {
  readonly app: AdmissionApp;
  readonly port: number;
  readonly registry: Registry;
}

async function serve(maxConnections?: number): Promise<Served> {
  const governance = snapshot();
  const registry = new Registry();
  const app = buildApp({
    governance: fixedGovernance(governance),
    registry,
    logger: pino({ level: 'silent' }),
    tls: { current: () => serving, onChange: () => undefined },
    ...(maxConnections === undefined ? {} : { maxConnections }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port, registry };
}

/** GET /healthz; the status, or the error code when the connection failed. */
function healthz(port: number, agent: Agent): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
    req.end();
  });
}

describe('idle connections of the HTTPS admission server', () => {
  let app: AdmissionApp;
  let port: number;
  let agent: Agent;
  const accepted: TLSSocket[] = [];

  beforeAll(async () => {
    ({ app, port } = await serve());
    app.server.on('secureConnection', (socket: TLSSocket) => accepted.push(socket));
    agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert });
  });

  afterAll(async () => {
    agent.destroy();
    await app.close();
  });

  it('are kept longer than the apiserver keeps them, so the apiserver closes them', async () => {
    expect(await healthz(port, agent)).toBe(200);
    const [socket] = accepted;
    // Once answered, the server arms the keep-alive timer on the idle socket (Node adds a
    // second of slack to it).
    expect(socket?.timeout).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS);
    expect(socket?.timeout).toBeGreaterThan(APISERVER_IDLE_CONNECTION_MS);
  });

  it('carry the next requests: no new TLS handshake', async () => {
    const before = accepted.length;
    expect(await healthz(port, agent)).toBe(200);
    expect(await healthz(port, agent)).toBe(200);
    expect(accepted.length).toBe(before);
  });
});

describe('the connection limit', () => {
  it('closes a connection past the limit at once and serves the ones it holds', async () => {
    const { app, port, registry } = await serve(2);
    const agents = [0, 1, 2].map(() => new Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert }));
    try {
      const [first, second, third] = agents as [Agent, Agent, Agent];
      expect(await healthz(port, first)).toBe(200);
      expect(await healthz(port, second)).toBe(200);
      const dropped = once(app.server, 'drop');
      expect(await healthz(port, third)).toBe('ECONNRESET');
      await dropped;
      // The two held connections still answer.
      expect(await healthz(port, first)).toBe(200);
      expect(await healthz(port, second)).toBe(200);
      // What a replica's metrics tell about it.
      const counted = await registry.getSingleMetricAsString('oos_admission_connections_total');
      expect(counted).toContain('oos_admission_connections_total{outcome="accepted"} 2');
      expect(counted).toContain('oos_admission_connections_total{outcome="dropped"} 1');
      const open = await registry.getSingleMetricAsString('oos_admission_connections_open');
      expect(open).toContain('oos_admission_connections_open 2');
    } finally {
      for (const agent of agents) agent.destroy();
      await app.close();
    }
  });
});
