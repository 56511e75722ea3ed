/**
 * Admission soak: is the admission server's memory flat, and its latency sane, under sustained
 * HTTPS load?
 *
 * The server runs in a child process (`admission-soak-server.ts`) exactly as the operator
 * builds it (`buildApp()` over HTTPS, the operator's prometheus registry with the default process
 * metrics, an info-level pino log line per decision written to a discarded stdout) deciding
 * against the large governance of `large-governance.ts`. This process drives it the way the
 * apiserver does: HTTP/1.1 keep-alive connections (the apiserver speaks HTTP/1.1 to webhooks so
 * that concurrent calls spread over several connections), up to `--idle` idle connections kept
 * per host (client-go's `MaxIdleConnsPerHost` is 25: a burst beyond that opens connections that
 * are closed once answered), no TLS session resumption (client-go sets no session cache), at
 * most 200 reviews in flight, and the mix of `admission-soak-reviews.ts`.
 *
 * First it measures the maximum rate (closed loop on `--idle` connections for `--max-seconds`),
 * then it sends an open-loop load at `--rate` reviews per second (default: half the maximum) for
 * `--minutes`. Latency is measured from each request's planned send time, so a stalled server
 * is not hidden by a load that waits for it. Every `--sample-seconds` it samples the server's
 * RSS (from /proc) and its heap, external and arrayBuffers (`process.memoryUsage()` over IPC);
 * every minute it prints the rate, p50/p99/max latency, errors and new connections. Numbers
 * only, no assertions. Loopback only.
 *
 *   npm run bench:soak -- [--minutes 10] [--rate half|<n>] [--idle 25] [--max-seconds 20]
 *       [--sample-seconds 5] [--open <n>] [--server-keep-alive-ms <ms>]
 *
 * `--open n` first measures what n idle connections cost the server (RSS held, and kept once
 * they are closed). `--server-keep-alive-ms` overrides the server's idle-connection timeout, to
 * compare with another setting (Node's default is 5000).
 *
 * Environment variables reach the server process (`MALLOC_ARENA_MAX=2 npm run bench:soak`), so
 * allocator settings can be compared.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCertificateAuthority, issueCertificate } from '../webhooks/tls/pki.js';
import {
  dueBetween,
  plannedAt,
  rssFromStatus,
  slopePerMinute,
  summarize,
  type Point,
} from './admission-soak-stats.js';
import { pick, reviewMix, type Template } from './admission-soak-reviews.js';
import type { ServerSample } from './admission-soak-server.js';

const MiB = 1024 * 1024;
/** The webhooks' `timeoutSeconds` (webhooks/registration.ts). */
const WEBHOOK_TIMEOUT_MS = 3_000;
/**
 * The apiserver admits at most 200 mutating requests at once (`--max-mutating-requests-inflight`),
 * and only those call admission webhooks: requests beyond are refused before they reach oos.
 */
const MAX_IN_FLIGHT = 200;

interface Load {
  readonly agent: Agent;
  readonly port: number;
  readonly ca: string;
  /** Connections this side opened. */
  connections: number;
}

interface Answer {
  readonly ok: boolean;
  readonly allowed: boolean;
}

function send(load: Load, template: Template, uid: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: load.port,
        path: template.path,
        method: 'POST',
        agent: load.agent,
        headers: { 'content-type': 'application/json' },
        // The webhooks' timeoutSeconds: the apiserver gives up and drops the connection.
        timeout: WEBHOOK_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            ok: res.statusCode === 200 && text.includes(uid),
            allowed: text.includes('"allowed":true'),
          });
        });
        res.on('error', () => {
          resolve({ ok: false, allowed: false });
        });
      },
    );
    req.on('socket', (socket) => {
      if (!seen.has(socket)) {
        seen.add(socket);
        load.connections += 1;
      }
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      resolve({ ok: false, allowed: false });
    });
    req.end(template.body.replace('"UID"', JSON.stringify(uid)));
  });
}

const seen = new WeakSet<object>();

function sample(child: ChildProcess): Promise<ServerSample> {
  return new Promise((resolve) => {
    child.once('message', (message) => {
      resolve(message as ServerSample);
    });
    child.send('sample');
  });
}

function rssOf(pid: number): number {
  return rssFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? Number.NaN;
}

const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
const ms = (value: number): string => value.toFixed(1);

async function maxRate(load: Load, mix: readonly Template[], seconds: number, concurrency: number) {
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const i = sent++;
        const t = performance.now();
        const answer = await send(load, pick(mix, i), `max-${i}`);
        if (answer.ok) latencies.push(performance.now() - t);
        else failed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rate: latencies.length / elapsed, failed, ...summarize(latencies) };
}

/**
 * What connections cost the server: RSS with `count` more connections open (each has answered
 * one review and stays idle), then once they are closed again.
 */
async function openConnections(
  load: Load,
  child: ChildProcess,
  mix: readonly Template[],
  count: number,
): Promise<void> {
  const pid = child.pid ?? 0;
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3_000));
  await settle();
  const before = rssOf(pid);
  const agents: Agent[] = [];
  let opened = 0;
  // 50 at a time, each batch on its own agent so that no connection is reused.
  for (let i = 0; i < count; i += 50) {
    const batch = Math.min(50, count - i);
    const agent = new Agent({
      keepAlive: true,
      maxSockets: batch,
      maxCachedSessions: 0,
      ca: load.ca,
    });
    agents.push(agent);
    const probe: Load = { ...load, agent, connections: 0 };
    await Promise.all(
      Array.from({ length: batch }, (_, k) => send(probe, pick(mix, i + k), `open-${i + k}`)),
    );
    opened += probe.connections;
  }
  await settle();
  const held = rssOf(pid);
  const server = await sample(child);
  for (const agent of agents) agent.destroy();
  await settle();
  const after = rssOf(pid);
  console.log(
    `${opened} connections opened (server holds ${server.open}): server RSS ${mib(before)} -> ` +
      `${mib(held)} MiB (${((held - before) / 1024 / Math.max(1, opened)).toFixed(0)} KiB each); ` +
      `closed: ${mib(after)} MiB (${mib(after - before)} MiB kept)`,
  );
}

interface Minute {
  latencies: number[];
  failed: number;
  allowed: number;
  skipped: number;
  connectionsAtStart: number;
}

async function soak(
  load: Load,
  child: ChildProcess,
  mix: readonly Template[],
  options: { rate: number; minutes: number; sampleSeconds: number; maxInFlight: number },
): Promise<void> {
  const pid = child.pid ?? 0;
  const { rate } = options;
  const minutes: Minute[] = [];
  const newMinute = (): Minute => ({
    latencies: [],
    failed: 0,
    allowed: 0,
    skipped: 0,
    connectionsAtStart: load.connections,
  });
  let minute = newMinute();
  let inFlight = 0;
  const started = performance.now();
  const durationMs = options.minutes * 60_000;
  const rss: Point[] = [];
  const heap: Point[] = [];
  console.log(
    '\n   t  rss MiB  heapUsed  heapTotal  external  arrayBuffers  server conns open/accepted',
  );
  const printSample = async (): Promise<void> => {
    const t = (performance.now() - started) / 1000;
    const resident = rssOf(pid);
    const server = await sample(child);
    rss.push({ t, value: resident });
    heap.push({ t, value: server.memory.heapUsed });
    const m = server.memory;
    console.log(
      `${t.toFixed(0).padStart(4)}s ${mib(resident).padStart(8)} ${mib(m.heapUsed).padStart(9)} ` +
        `${mib(m.heapTotal).padStart(10)} ${mib(m.external).padStart(9)} ${mib(m.arrayBuffers).padStart(13)} ` +
        `${String(server.open).padStart(12)}/${server.accepted}`,
    );
  };
  await printSample();
  const sampler = setInterval(() => void printSample(), options.sampleSeconds * 1000);
  const summaries: string[] = [];
  const closeMinute = (index: number): void => {
    const s = summarize(minute.latencies);
    const seconds = 60;
    const line =
      `${String(index + 1).padStart(6)} ${Math.round(s.count / seconds)
        .toLocaleString('en-US')
        .padStart(7)}/s ` +
      `${ms(s.p50).padStart(7)} ${ms(s.p99).padStart(7)} ${ms(s.max).padStart(8)} ` +
      `${String(minute.failed).padStart(6)} ${String(minute.skipped).padStart(7)} ` +
      `${String(load.connections - minute.connectionsAtStart).padStart(9)} ` +
      `${((100 * minute.allowed) / Math.max(1, s.count)).toFixed(0).padStart(8)}% ` +
      mib(rss.at(-1)?.value ?? Number.NaN).padStart(8);
    summaries.push(line);
    console.log(`minute ${index + 1}: ${line}`);
    minutes.push(minute);
    minute = newMinute();
  };
  let sentUntil = 0;
  let minuteIndex = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = Math.min(performance.now() - started, durationMs);
      const { first, count } = dueBetween(rate, sentUntil, now);
      sentUntil = now;
      for (let i = first; i < first + count; i += 1) {
        const planned = started + plannedAt(rate, i);
        if (inFlight >= options.maxInFlight) {
          minute.skipped += 1;
          continue;
        }
        inFlight += 1;
        const owner = minute;
        void send(load, pick(mix, i), `soak-${i}`).then((answer) => {
          inFlight -= 1;
          if (answer.ok) {
            owner.latencies.push(performance.now() - planned);
            if (answer.allowed) owner.allowed += 1;
          } else owner.failed += 1;
        });
      }
      if (now >= (minuteIndex + 1) * 60_000) {
        closeMinute(minuteIndex);
        minuteIndex += 1;
      }
      if (now >= durationMs) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  clearInterval(sampler);
  await printSample();

  console.log(
    `\nminute    rate   p50 ms  p99 ms   max ms errors skipped new conns  allowed  rss MiB`,
  );
  for (const line of summaries) console.log(line);
  const all = summarize(minutes.flatMap((m) => m.latencies));
  const afterWarmUp = (points: readonly Point[]): Point[] => points.filter((p) => p.t >= 60);
  const values = rss.map((p) => p.value);
  console.log(
    `\nsoak: ${options.minutes} min at ${rate}/s; p50 ${ms(all.p50)} ms, p99 ${ms(all.p99)} ms, ` +
      `max ${ms(all.max)} ms over ${all.count.toLocaleString('en-US')} reviews; ` +
      `${minutes.reduce((n, m) => n + m.failed, 0)} errors; ${load.connections} connections opened`,
  );
  console.log(
    `server RSS: start ${mib(values[0] ?? Number.NaN)} MiB, end ${mib(values.at(-1) ?? Number.NaN)} MiB, ` +
      `max ${mib(Math.max(...values))} MiB; after the first minute it grows ` +
      `${mib(slopePerMinute(afterWarmUp(rss)))} MiB/min (heapUsed ${mib(slopePerMinute(afterWarmUp(heap)))} MiB/min)`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: 'half' },
      idle: { type: 'string', default: '25' },
      'max-seconds': { type: 'string', default: '20' },
      'sample-seconds': { type: 'string', default: '5' },
      'server-keep-alive-ms': { type: 'string', default: '0' },
      open: { type: 'string', default: '0' },
    },
  });
  const minutes = Number(values.minutes);
  const idle = Number(values.idle);
  const maxSeconds = Number(values['max-seconds']);
  const sampleSeconds = Number(values['sample-seconds']);
  if (![minutes, idle, maxSeconds, sampleSeconds].every((n) => Number.isFinite(n) && n >= 0)) {
    throw new Error('--minutes, --idle, --max-seconds and --sample-seconds take numbers >= 0');
  }
  if (values.rate !== 'half' && !(Number(values.rate) > 0)) {
    throw new Error(
      '--rate takes "half" (of the measured maximum) or a number of reviews per second',
    );
  }

  const ca = await createCertificateAuthority('soak-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'soak',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
  });
  const child = fork(fileURLToPath(new URL('admission-soak-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      OOS_SOAK_SERVING: JSON.stringify(serving),
      OOS_SOAK_SERVER_KEEP_ALIVE_MS: values['server-keep-alive-ms'],
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => {
    child.once('message', (message) => {
      resolve((message as { port: number }).port);
    });
  });
  const load: Load = {
    // As client-go: keep-alive, any number of connections, at most `idle` kept idle (the rest
    // are closed once answered), most recently used first, no TLS session resumption.
    agent: new Agent({
      keepAlive: idle > 0,
      maxSockets: Infinity,
      maxFreeSockets: Math.max(1, idle),
      scheduling: 'lifo',
      maxCachedSessions: 0,
      ca: ca.cert,
    }),
    port,
    ca: ca.cert,
    connections: 0,
  };
  const mix = reviewMix();
  const sizes = mix.map((t) => t.body.length);
  console.log(
    `server pid ${child.pid ?? '?'}; governance: 5,000 capabilities, 10,000 delegations, 1,000 roles; ` +
      `${mix.length} reviews in the mix (${Math.min(...sizes)}–${Math.max(...sizes)} bytes); ` +
      `client: HTTP/1.1 keep-alive, ${idle} idle connections kept; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'}`,
  );
  console.log(`server RSS after start: ${mib(rssOf(child.pid ?? 0))} MiB`);
  const open = Number(values.open);
  if (open > 0) await openConnections(load, child, mix, open);

  let rate = Number(values.rate);
  if (maxSeconds > 0) {
    const max = await maxRate(load, mix, maxSeconds, idle);
    console.log(
      `maximum rate: ${Math.round(max.rate).toLocaleString('en-US')} reviews/s (closed loop, ${idle} connections, ` +
        `${maxSeconds} s): p50 ${ms(max.p50)} ms, p99 ${ms(max.p99)} ms, max ${ms(max.max)} ms, ${max.failed} errors; ` +
        `server RSS ${mib(rssOf(child.pid ?? 0))} MiB`,
    );
    if (values.rate === 'half') rate = Math.round(max.rate / 2);
    console.log(`soak rate ${rate}/s = ${((100 * rate) / max.rate).toFixed(0)}% of the maximum`);
  } else if (values.rate === 'half') {
    throw new Error('--rate half needs the maximum: give --max-seconds above 0, or a number');
  } else {
    // Warm up as an apiserver that has been calling the webhook: connections open, code hot.
    await maxRate(load, mix, 5, Math.max(1, idle));
  }
  if (minutes > 0) {
    await soak(load, child, mix, { rate, minutes, sampleSeconds, maxInFlight: MAX_IN_FLIGHT });
  }
  load.agent.destroy();
  child.disconnect();
}

await main();
