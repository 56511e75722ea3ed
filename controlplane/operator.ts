import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entrypoint } from './image/dockerfile.js';
import { freePorts } from './ports.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** How to run the operator on this host: the one launcher of the e2e tests, the demo and the benches. */
export interface OperatorOptions {
  readonly kubeconfig: string;
  /** Passed as `--namespace`; leave it out when `args` carry their own (the chart's arguments). */
  readonly namespace?: string;
  /**
   * Register the webhooks at the operator's own loopback URL (`--webhook-url`), as `npm start`
   * on a laptop would. Default true; false when the configurations are someone else's (the chart).
   */
  readonly webhookUrl?: boolean;
  /** Any further flags, after the launcher's own (a later flag wins). */
  readonly args?: readonly string[];
  /** Flags of Node.js itself, before the operator's, e.g. `--max-old-space-size=192`. */
  readonly nodeOptions?: readonly string[];
  /**
   * Run the compiled JavaScript in `dist/` (`npm run build` first) with the image's Node.js flags
   * (the Dockerfile's `ENTRYPOINT`), as the image does, instead of the TypeScript sources through
   * tsx: what memory is measured on (tsx holds every module's source text and its transform in
   * each thread).
   */
  readonly compiled?: boolean;
  /**
   * The CPUs the operator may run on (`taskset -c`, e.g. `1`), as a pod with a core of its own
   * would; any CPU when absent.
   */
  readonly cpus?: string;
}

export interface OperatorProcess {
  /** The process id (its main thread's id too, under /proc/<pid>/task). */
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Everything it logged so far (pino JSON lines). */
  logs(): string;
  /** GET a path of its HTTPS server (self-issued certificate: liveness only, not verified). */
  get(path: string): Promise<{ status: number; body: string }>;
  /** SIGTERM, and resolves once it has exited (it releases its Lease on the way out). */
  stop(): Promise<void>;
  /** SIGKILL: no graceful shutdown, the leader Lease is not released. */
  kill(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** True once the process has exited. */
  hasExited(): boolean;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * How Node.js runs the operator. Compiled: the image's own command line, the Dockerfile's
 * `ENTRYPOINT`, its Node.js flags too (a flag of `nodeOptions`, given after them, wins). From
 * source: tsx as a loader, not its CLI, so that it is one process and a signal reaches the
 * operator itself.
 */
function operatorCommand(compiled: boolean): { flags: string[]; script: string } {
  if (!compiled) return { flags: ['--import', 'tsx'], script: join(REPO, 'operator', 'main.ts') };
  const [, ...words] = entrypoint(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
  const script = words.pop();
  if (script === undefined) throw new Error('the Dockerfile ENTRYPOINT names no script');
  return { flags: words, script };
}

/**
 * Runs the operator (`operator/main.ts`, as `npm start` does) as a host process against a
 * kubeconfig, serving on a free loopback port. Returns at once; see `waitUntilReady`.
 */
export async function spawnOperator(options: OperatorOptions): Promise<OperatorProcess> {
  const [port] = (await freePorts(1)) as [number];
  const url = `https://127.0.0.1:${port}`;
  const command = operatorCommand(options.compiled === true);
  const pinned = options.cpus === undefined ? [] : ['-c', options.cpus, process.execPath];
  const program = pinned.length === 0 ? process.execPath : 'taskset';
  const child = spawn(
    program,
    [
      ...pinned,
      ...command.flags,
      ...(options.nodeOptions ?? []),
      command.script,
      `--kubeconfig=${options.kubeconfig}`,
      ...(options.namespace === undefined ? [] : [`--namespace=${options.namespace}`]),
      ...(options.webhookUrl === false ? [] : [`--webhook-url=${url}`]),
      ...(options.args ?? []),
      '--host=127.0.0.1',
      `--port=${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO },
  );
  const { pid } = child;
  if (pid === undefined) throw new Error(`the operator could not be started (${program})`);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (!hasExited()) child.kill(name);
    await exited;
  };
  return {
    pid,
    port,
    url,
    exited,
    hasExited,
    logs: () => output,
    get: (path) => get(`${url}${path}`),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** What `waitUntilReady` waits for besides `/readyz`. */
export interface ReadyOptions {
  readonly timeoutMs?: number;
  /** Also wait until it has applied its webhook configurations (not when the chart owns them). */
  readonly webhooks?: boolean;
}

/**
 * Resolves once `/readyz` answers 200 (the governance cache has synced) and, unless told
 * otherwise, the operator has logged that its webhook configurations are applied. Throws with
 * the end of its log if it exits first or is not ready in time.
 */
export async function waitUntilReady(
  operator: OperatorProcess,
  { timeoutMs = 90_000, webhooks = true }: ReadyOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exitedSoon = (ms: number): Promise<boolean> =>
    Promise.race([
      operator.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, ms, false)),
    ]);
  while (Date.now() < deadline) {
    const ready = await operator.get('/readyz').catch(() => undefined);
    if (
      ready?.status === 200 &&
      (!webhooks || operator.logs().includes('webhook configuration applied'))
    ) {
      return;
    }
    if (await exitedSoon(250)) {
      throw new Error(`the operator exited during start-up:\n${operator.logs().slice(-2000)}`);
    }
  }
  throw new Error(
    `the operator was not ready after ${Math.round(timeoutMs / 1000)} s:\n${operator.logs().slice(-2000)}`,
  );
}
