/**
 * The load generator of the reliability scenarios, run as a process of its own
 * (`tsx bench/reliability/load.ts <config.json>`, see `generator.ts`): sends dry-run creates to
 * the apiserver of the kubeconfig, at a fixed rate over kept HTTPS connections with the admin's
 * client certificate, each one an object oos allows or one it denies, and records for each the
 * expected and actual verdict, the latency and any error. Bounded: at most rate × maxSeconds
 * requests and maxSeconds (plus one timeout) of time; SIGTERM stops sending earlier. Writes the
 * records as JSON lines, then exits 0.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import {
  STALE_WARNING,
  type LoadCase,
  type LoadConfig,
  type LoadRecord,
  type Outcome,
} from './load-types.js';

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadConfig;

const kc = new KubeConfig();
kc.loadFromFile(config.kubeconfig);
const server = new URL(kc.getCurrentCluster()?.server ?? '');
const tls: RequestOptions = {};
await kc.applyToHTTPSOptions(tls);
const agent = new Agent({ keepAlive: true, maxSockets: config.connections });

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly stale: boolean;
}

function send(path: string, payload: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...tls,
        agent,
        method: 'POST',
        hostname: server.hostname,
        port: server.port,
        path,
        timeout: config.timeoutMs,
        headers: {
          ...(tls.headers as Record<string, string> | undefined),
          accept: 'application/json',
          'content-type': 'application/json',
          ...(config.headers as Record<string, string | string[]> | undefined),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const warning = res.headers.warning ?? '';
          resolve({ status: res.statusCode ?? 0, body, stale: warning.includes(STALE_WARNING) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${config.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Allowed: created (dry run). Denied: oos's validating webhook said no, for the expected reason. */
interface Seen {
  readonly actual: Outcome;
  readonly status: number;
  readonly error?: string;
  readonly stale?: true;
}

function classify(c: LoadCase, answer: Answer): Seen {
  const { status } = answer;
  const stale = answer.stale ? { stale: true as const } : {};
  if (status === 201) return { actual: 'allowed', status, ...stale };
  let message = answer.body.slice(0, 500);
  try {
    message = (JSON.parse(answer.body) as { message?: string }).message ?? message;
  } catch {
    // not a Status: keep the raw text
  }
  const byOos =
    answer.status === 403 && /admission webhook "[^"]*oos[^"]*" denied the request/.test(message);
  if (byOos && (c.reason === undefined || message.includes(c.reason))) {
    return { actual: 'denied', status, ...stale };
  }
  return { actual: 'error', status, error: `HTTP ${String(status)}: ${message}` };
}

const records = createWriteStream(config.recordsFile);
const payloads = config.cases.map((c) => JSON.stringify(c.body));
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
/** Read through a call: the handler above changes it between awaits. */
const stopped = (): boolean => stopping;

// The parent waits for this line: the load starts now, not when this process was spawned.
process.stdout.write('started\n');
const started = performance.now();
const epoch = Date.now() - started;
const total = Math.floor(config.rate * config.maxSeconds);
const pending = new Set<Promise<void>>();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (let i = 0; i < total && !stopped(); i += 1) {
  const due = started + (i * 1000) / config.rate;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  if (stopped()) break;
  const index = i % config.cases.length;
  const c = config.cases[index];
  if (c === undefined) break;
  const done = send(c.path, payloads[index] ?? '{}')
    .then(
      (answer) => classify(c, answer),
      (error: unknown): Seen => ({
        actual: 'error',
        status: 0,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    .then((seen) => {
      const record: LoadRecord = {
        case: c.name,
        expected: c.expect,
        ...seen,
        at: Math.round(epoch + due),
        latencyMs: Math.round((performance.now() - due) * 100) / 100,
      };
      records.write(`${JSON.stringify(record)}\n`);
    });
  pending.add(done);
  void done.finally(() => pending.delete(done));
}
await Promise.all(pending);
agent.destroy();
await new Promise<void>((resolve) => records.end(resolve));
