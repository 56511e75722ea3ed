import { inject } from 'vitest';
import { spawnOperator, type OperatorProcess } from '../../controlplane/operator-process.js';
import { kubectl } from './kubectl.js';
import { waitFor } from './wait.js';

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

const running = new Set<OperatorProcess>();
process.on('exit', () => {
  for (const operator of running) void operator.kill();
});

/**
 * Runs the operator as a host process against the e2e control plane, exactly as `npm start`
 * would, registering its webhooks at https://127.0.0.1:<free port>. Resolves once /readyz is 200
 * and the webhook configurations exist.
 */
export async function startOperator(extraArgs: readonly string[] = []): Promise<RunningOperator> {
  await kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
  const process_ = await spawnOperator(inject('kubeconfig'), OPERATOR_NAMESPACE, extraArgs);
  running.add(process_);
  const operator: RunningOperator = {
    port: process_.port,
    url: process_.url,
    logs: () => process_.logs(),
    get: (path) => process_.get(path),
    stop: async () => {
      await process_.stop();
      running.delete(process_);
    },
    kill: async () => {
      await process_.kill();
      running.delete(process_);
    },
  };
  try {
    await waitFor(
      'the operator to be ready and its webhooks registered',
      async () => {
        if (process_.exitCodeKnown()) {
          throw new Error(`the operator exited: ${process_.logs().slice(-2000)}`);
        }
        const ready = await operator.get('/readyz').catch(() => undefined);
        if (ready?.status !== 200) return undefined;
        const configured = await kubectl([
          'get',
          'validatingwebhookconfiguration',
          'oos-validating',
        ]);
        return configured.code === 0 && process_.logs().includes('webhook configuration applied')
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
