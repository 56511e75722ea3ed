/**
 * End-to-end admission benchmark: the real fastify HTTPS server, fed by the same large governance
 * as bench/engine.bench.ts (5,000 capabilities, 10,000 delegations), answering AdmissionReviews
 * over loopback with keep-alive connections (the load generator runs in the same process, so the
 * numbers are a floor). Reports requests per second and latency
 * percentiles, and the ratio to the bare engine decision. Numbers only, no assertions.
 *
 *   npx tsx bench/admission.bench.ts
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildSnapshot, decide, type AdmissionInput } from '../engine/index.js';
import { admission, deployment, NOW } from '../engine/testing/fixtures.js';
import { buildApp } from '../webhooks/app.js';
import { createCertificateAuthority, issueCertificate } from '../webhooks/tls/pki.js';
import { fixedGovernance } from '../webhooks/testing/fixed-governance.js';
import { CAPABILITIES_PER_NAMESPACE, largeGovernance, NAMESPACES } from './large-governance.js';

const REQUESTS = 20_000;
const CONCURRENCY = 16;

function workload(i: number, anchored: boolean): AdmissionInput {
  const namespace = `team-${i % NAMESPACES}`;
  const cap = `cap-${i % CAPABILITIES_PER_NAMESPACE}`;
  const labels: Record<string, string> = anchored ? { 'oos.dev/capability': cap } : {};
  return admission(
    deployment({
      name: `vllm-${i}`,
      namespace,
      labels,
      templateLabels: labels,
      serviceAccount: 'sa-0',
      image: 'vllm/vllm-openai:v0.6.3',
      resources: { limits: { 'nvidia.com/gpu': '1' } },
    }),
  );
}

function body(input: AdmissionInput, i: number): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `bench-${i}`,
      kind: input.kind,
      operation: input.operation,
      namespace: input.namespace,
      name: input.name,
      userInfo: input.userInfo,
      object: input.object,
    },
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

const snapshot = buildSnapshot(largeGovernance());
const ca = await createCertificateAuthority('bench-ca');
const serving = await issueCertificate(ca, {
  commonName: 'bench',
  usage: 'server',
  ipAddresses: ['127.0.0.1'],
});
const app = buildApp({
  governance: fixedGovernance(snapshot),
  registry: new Registry(),
  logger: pino({ level: 'silent' }),
  tls: { current: () => serving, onChange: () => undefined },
  clock: () => NOW,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: ca.cert });

function post(payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/validate',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else reject(new Error(`HTTP ${res.statusCode ?? 0}`));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function scenario(name: string, anchored: boolean): Promise<number> {
  const inputs = Array.from({ length: REQUESTS }, (_, i) => workload(i, anchored));
  const bodies = inputs.map(body);
  // The bare engine, for the ratio.
  const engineStart = performance.now();
  for (const input of inputs) decide(input, snapshot, NOW);
  const engineSeconds = (performance.now() - engineStart) / 1000;

  await Promise.all(bodies.slice(0, 500).map(post)); // warm up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const payload = bodies[next++] ?? '';
        const t = performance.now();
        await post(payload);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rps = REQUESTS / seconds;
  console.log(
    `${name.padEnd(34)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} reviews/s over HTTPS ` +
      `(p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ` +
      `${CONCURRENCY} connections); bare engine ${Math.round(REQUESTS / engineSeconds).toLocaleString('en-US')}/s, ` +
      `HTTPS + JSON cost ${(REQUESTS / engineSeconds / rps).toFixed(0)}x the decision`,
  );
  return rps;
}

console.log(
  `governance: 5,000 capabilities, 10,000 delegations; ${REQUESTS.toLocaleString('en-US')} reviews per scenario`,
);
await scenario('AI Deployment, anchored (Anchored)', true);
await scenario('AI Deployment, unanchored (deny)', false);
agent.destroy();
await app.close();
