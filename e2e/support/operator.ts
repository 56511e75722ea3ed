import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePorts } from '../controlplane/ports.js';
import { kubectl } from './kubectl.js';
import { waitFor } from './wait.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OPERATOR_NAMESPACE = 'oos-system';

export interface RunningOperator {
  readonly port: number;
  readonly url: string;
  /** Everything the operator logged so far (pino JSON lines). */
  logs(): string;
  /** GET a path of the admission server (its certificate is self-issued: not verified here). */
  get(path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
  /** Ends the operator with SIGKILL: no graceful shutdown, the leader Lease is not released. */
  kill(): Promise<void>;
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

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs the operator as a host process against the e2e control plane, exactly as `npm start`
 * would, registering its webhooks at https://127.0.0.1:<free port>. Resolves once /readyz is 200
 * and the webhook configurations exist.
 */
export async function startOperator(extraArgs: readonly string[] = []): Promise<RunningOperator> {
  await kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
  const [port] = (await freePorts(1)) as [number];
  const url = `https://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      // tsx as a loader, not its CLI: one process, so kill() ends the operator itself.
      '--import',
      'tsx',
      join(REPO, 'operator', 'main.ts'),
      '--kubeconfig',
      inject('kubeconfig'),
      '--namespace',
      OPERATOR_NAMESPACE,
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
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );

  const operator: RunningOperator = {
    port,
    url,
    logs: () => output,
    get: (path) => get(`${url}${path}`),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(child);
    },
  };
  try {
    await waitFor(
      'the operator to be ready and its webhooks registered',
      async () => {
        if (child.exitCode !== null) throw new Error(`the operator exited: ${output.slice(-2000)}`);
        const ready = await operator.get('/readyz').catch(() => undefined);
        if (ready?.status !== 200) return undefined;
        const configured = await kubectl([
          'get',
          'validatingwebhookconfiguration',
          'oos-validating',
        ]);
        return configured.code === 0 && output.includes('webhook configuration applied')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    await operator.stop();
    throw error;
  }
  return operator;
}
