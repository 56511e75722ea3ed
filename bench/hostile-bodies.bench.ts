/**
 * Responsiveness under hostile bodies: the real admission server (`buildApp()`, HTTPS on
 * 127.0.0.1, the large governance of bench/large-governance.ts) runs in a child process; at the
 * same time
 *  - an attacker child process posts hostile bodies on `--senders` (default 30) connections, each
 *    one body after the other;
 *  - this process probes `/healthz` every 10 ms (one in flight at a time, its own connection) and
 *    sends normal reviews (an anchored AI Deployment) on 4 keep-alive connections, closed loop.
 * Three processes, so that neither the attacker's work nor the measurement's shares the server's
 * event loop (on 2 cores they still share the CPU, as an apiserver on the same node would).
 * For each kind of hostile body it reports `/healthz` p50/p99/max latency, the normal reviews'
 * throughput and p99, and what the hostile requests got back. Numbers only, no assertions.
 *
 *   npx tsx bench/hostile-bodies.bench.ts [--seconds 5] [--senders 30] [--only deep]
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildSnapshot } from '../engine/index.js';
import { admission, deployment, NOW } from '../engine/testing/fixtures.js';
import { buildApp, DEFAULT_BODY_LIMIT } from '../webhooks/app.js';
import { createCertificateAuthority, issueCertificate, type KeyPair } from '../webhooks/tls/pki.js';
import { fixedGovernance } from '../webhooks/testing/fixed-governance.js';
import { largeGovernance } from './large-governance.js';

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The server (child process).

async function serve(): Promise<void> {
  const serving = JSON.parse(process.env.BENCH_SERVING ?? '{}') as KeyPair;
  const snapshot = buildSnapshot(largeGovernance());
  const app = buildApp({
    governance: fixedGovernance(snapshot),
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    tls: { current: () => serving, onChange: () => undefined },
    clock: () => NOW,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  process.send?.({ port });
  process.on('disconnect', () => {
    void app.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------
// The load (this process).

function review(uid: string, object: unknown, oldObject?: unknown): string {
  const input = admission(object as Parameters<typeof admission>[0]);
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: input.kind,
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      operation: oldObject === undefined ? 'CREATE' : 'UPDATE',
      namespace: input.namespace,
      name: input.name,
      userInfo: input.userInfo,
      object,
      ...(oldObject === undefined ? {} : { oldObject }),
    },
  });
}

const anchored = (name: string, env: { name: string; value: string }[] = []): unknown => {
  const labels = { 'oos.dev/capability': 'cap-0' };
  const object = deployment({
    name,
    namespace: 'team-0',
    labels,
    templateLabels: labels,
    serviceAccount: 'sa-0',
    image: 'vllm/vllm-openai:v0.6.3',
    resources: { limits: { 'nvidia.com/gpu': '1' } },
  }) as { spec: { template: { spec: { containers: { env?: unknown }[] } } } };
  const container = object.spec.template.spec.containers[0];
  if (container) container.env = env;
  return object;
};

/** A valid UPDATE whose object and oldObject together make a body of about `bytes`. */
function largeReview(bytes: number): string {
  const perObject = Math.floor(bytes / 2);
  const env = Array.from({ length: Math.floor(perObject / 1024) }, (_, i) => ({
    name: `VAR_${i}`,
    value: 'x'.repeat(1000),
  }));
  return review('hostile-large', anchored('big', env), anchored('big', env));
}

/** A review whose object is `depth` nested arrays. */
function deepReview(depth: number): string {
  return review('hostile-deep', { spec: 'DEEP' }).replace(
    '"DEEP"',
    '['.repeat(depth) + ']'.repeat(depth),
  );
}

interface Hostile {
  readonly name: string;
  readonly body: Buffer;
  /** Send without a Content-Length (chunked), so only the bytes read can tell the size. */
  readonly chunked?: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

function post(
  port: number,
  agent: Agent,
  path: string,
  body: Buffer | string,
  chunked = false,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
        res.on('error', () => {
          resolve(-1);
        });
      },
    );
    req.on('error', () => {
      resolve(-1);
    });
    if (chunked) {
      // 64 KiB chunks, as a streaming client would send them.
      const data = typeof body === 'string' ? Buffer.from(body) : body;
      for (let i = 0; i < data.length; i += 64 * 1024) req.write(data.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

function get(port: number, agent: Agent, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', () => {
      resolve(-1);
    });
    req.end();
  });
}

interface Result {
  readonly healthz: number[];
  readonly admission: number[];
  admissionFailed: number;
  readonly hostile: Map<number, number>;
  readonly seconds: number;
}

/** The hostile bodies (built where they are sent, not in the server). */
const hostileBodies = (): readonly Hostile[] => [
  { name: '4.5 MB valid UPDATE', body: Buffer.from(largeReview(4.5e6)) },
  {
    name: 'valid UPDATE just under the limit',
    body: Buffer.from(largeReview(DEFAULT_BODY_LIMIT - 64 * 1024)),
  },
  { name: 'over the limit, Content-Length', body: Buffer.alloc(DEFAULT_BODY_LIMIT + MiB, 0x20) },
  {
    name: 'over the limit, chunked',
    body: Buffer.alloc(DEFAULT_BODY_LIMIT + MiB, 0x20),
    chunked: true,
  },
  { name: 'nested 1,000,000 deep', body: Buffer.from(deepReview(1_000_000)) },
  { name: 'nested 10,000 deep', body: Buffer.from(deepReview(10_000)) },
];

interface AttackOrder {
  readonly port: number;
  readonly ca: string;
  readonly hostile: number;
  readonly senders: number;
  readonly seconds: number;
}

/** The attacker (child process): posts one kind of hostile body on `senders` connections. */
function attacker(): void {
  process.once('message', (message) => {
    const order = message as AttackOrder;
    const hostile = hostileBodies()[order.hostile];
    if (!hostile) throw new Error(`no hostile body #${order.hostile}`);
    const agent = new Agent({ keepAlive: true, maxSockets: order.senders, ca: order.ca });
    const deadline = performance.now() + order.seconds * 1000;
    const statuses: Record<number, number> = {};
    const attack = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const status = await post(order.port, agent, '/validate', hostile.body, hostile.chunked);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    process.send?.('started');
    void Promise.all(Array.from({ length: order.senders }, attack)).then(() => {
      agent.destroy();
      process.send?.(statuses, () => process.exit(0));
    });
  });
}

async function run(
  port: number,
  ca: string,
  hostile: number | undefined,
  senders: number,
  seconds: number,
): Promise<Result> {
  const normal = review('normal', anchored('vllm'));
  const healthAgent = new Agent({ keepAlive: true, maxSockets: 1, ca });
  const normalAgent = new Agent({ keepAlive: true, maxSockets: 4, ca });
  const result: Result = {
    healthz: [],
    admission: [],
    admissionFailed: 0,
    hostile: new Map(),
    seconds,
  };
  let attacked: Promise<Record<number, number>> = Promise.resolve({});
  if (hostile !== undefined) {
    const child = fork(fileURLToPath(import.meta.url), ['--attack'], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise<void>((resolve) => {
      child.once('message', () => {
        resolve();
      });
      child.send({ port, ca, hostile, senders, seconds } satisfies AttackOrder);
    });
    attacked = new Promise((resolve) => {
      child.once('message', (m) => {
        resolve(m as Record<number, number>);
      });
    });
  }
  const deadline = performance.now() + seconds * 1000;
  const probe = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const status = await get(port, healthAgent, '/healthz');
      if (status === 200) result.healthz.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const reviews = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const status = await post(port, normalAgent, '/validate', normal);
      if (status === 200) result.admission.push(performance.now() - t);
      else result.admissionFailed++;
    }
  };
  await Promise.all([probe(), ...Array.from({ length: 4 }, reviews)]);
  for (const [status, n] of Object.entries(await attacked)) result.hostile.set(Number(status), n);
  for (const agent of [healthAgent, normalAgent]) agent.destroy();
  result.healthz.sort((a, b) => a - b);
  result.admission.sort((a, b) => a - b);
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      senders: { type: 'string', default: '30' },
      only: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const senders = Number(values.senders);
  const ca = await createCertificateAuthority('bench-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'bench',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
  });
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SERVING: JSON.stringify(serving) },
  });
  const port = await new Promise<number>((resolve) => {
    child.once('message', (m) => {
      resolve((m as { port: number }).port);
    });
  });

  const limit = DEFAULT_BODY_LIMIT;
  console.log(
    `body limit ${limit.toLocaleString('en-US')} bytes; ${senders} hostile senders; ${seconds} s per scenario; ` +
      `/healthz probed every 10 ms; normal reviews on 4 connections`,
  );
  const row = (name: string, r: Result, base?: Result): void => {
    const rps = r.admission.length / r.seconds;
    const baseRps = base ? base.admission.length / base.seconds : rps;
    const hostile = [...r.hostile]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status === -1 ? 'reset' : status}×${n}`)
      .join(' ');
    console.log(
      `${name.padEnd(36)} healthz p50 ${percentile(r.healthz, 50).toFixed(1)} ms, p99 ${percentile(r.healthz, 99).toFixed(1)} ms, ` +
        `max ${(r.healthz.at(-1) ?? Number.NaN).toFixed(1)} ms (${r.healthz.length} probes) | ` +
        `reviews ${Math.round(rps)}/s (${((100 * rps) / baseRps).toFixed(0)}% of idle), p99 ${percentile(r.admission, 99).toFixed(1)} ms` +
        (r.admissionFailed > 0 ? `, ${r.admissionFailed} failed` : '') +
        (hostile ? ` | hostile: ${hostile}` : ''),
    );
  };
  await run(port, ca.cert, undefined, senders, 1); // warm up
  const idle = await run(port, ca.cert, undefined, senders, seconds);
  row('no hostile load', idle);
  for (const [index, hostile] of hostileBodies().entries()) {
    if (values.only !== undefined && !hostile.name.includes(values.only)) continue;
    row(hostile.name, await run(port, ca.cert, index, senders, seconds), idle);
  }
  child.disconnect();
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--attack')) attacker();
else await main();
