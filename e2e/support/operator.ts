import { inject } from 'vitest';
import {
  spawnOperator,
  waitUntilReady,
  type OperatorProcess,
} from '../../controlplane/operator.js';
import { kubectl } from './kubectl.js';

export const OPERATOR_NAMESPACE = 'oos-system';

/** The operator of one e2e test: the launcher's process, without its exit promise. */
export type RunningOperator = Pick<
  OperatorProcess,
  'pid' | 'port' | 'url' | 'logs' | 'get' | 'stop' | 'kill'
>;

const running = new Set<OperatorProcess>();
process.on('exit', () => {
  for (const operator of running) void operator.kill();
});

/**
 * Runs the operator as a host process against the e2e control plane, exactly as `npm start`
 * would, registering its webhooks at https://127.0.0.1:<free port>. Resolves once /readyz is 200
 * and the webhook configurations are applied.
 */
export async function startOperator(extraArgs: readonly string[] = []): Promise<RunningOperator> {
  await kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
  const operator = await spawnOperator({
    kubeconfig: inject('kubeconfig'),
    namespace: OPERATOR_NAMESPACE,
    args: extraArgs,
  });
  running.add(operator);
  const forget = async (end: () => Promise<void>): Promise<void> => {
    await end();
    running.delete(operator);
  };
  const handle: RunningOperator = {
    pid: operator.pid,
    port: operator.port,
    url: operator.url,
    logs: () => operator.logs(),
    get: (path) => operator.get(path),
    stop: () => forget(() => operator.stop()),
    kill: () => forget(() => operator.kill()),
  };
  try {
    await waitUntilReady(operator, { timeoutMs: 60_000 });
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
