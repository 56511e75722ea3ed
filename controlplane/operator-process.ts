import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './ports.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface OperatorProcess {
  readonly port: number;
  readonly url: string;
  /** Everything it logged so far (pino JSON lines). */
  logs(): string;
  /** GET a path of its HTTPS server (self-issued certificate: liveness only, not verified). */
  get(path: string): Promise<{ status: number; body: string }>;
  /** SIGTERM, and resolves once it has exited (it releases its Lease on the way out). */
  stop(): Promise<void>;
  /** SIGKILL: no graceful shutdown. */
  kill(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<number | null>;
  /** True once the process has exited. */
  exitCodeKnown(): boolean;
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
 * Runs the operator (`operator/main.ts`, as `npm start` does) as a host process against a
 * kubeconfig, serving on a free loopback port and registering its webhooks at that URL.
 */
export async function spawnOperator(
  kubeconfig: string,
  namespace: string,
  extraArgs: readonly string[] = [],
): Promise<OperatorProcess> {
  const [port] = (await freePorts(1)) as [number];
  const url = `https://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      // tsx as a loader, not its CLI: one process, so a signal reaches the operator itself.
      '--import',
      'tsx',
      join(REPO, 'operator', 'main.ts'),
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      namespace,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--webhook-url',
      url,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    port,
    url,
    exited,
    exitCodeKnown: () => child.exitCode !== null || child.signalCode !== null,
    logs: () => output,
    get: (path) => get(`${url}${path}`),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
