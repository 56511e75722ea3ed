import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../controlplane/controlplane.js';
import { runKubectl } from '../../controlplane/kubectl.js';
import {
  spawnOperator,
  waitUntilReady,
  type OperatorProcess,
} from '../../controlplane/operator.js';

// `npm start` against a cluster that lacks what the operator needs: one line that says what is
// missing and how to fix it, a non-zero exit, no stack trace. A control plane of this file's own,
// since the shared one has the CRDs installed by the files before it.
const NAMESPACE = 'oos-startup-e2e';

let controlPlane: ControlPlane;
const started: OperatorProcess[] = [];

const kubectl = async (args: readonly string[]): Promise<void> => {
  const result = await runKubectl(controlPlane.binaries.kubectl, controlPlane.kubeconfig, args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
};

/** Starts the operator as `npm start` does and waits for it to exit; its exit code and log. */
async function startAndExit(): Promise<{ code: number | null; log: string }> {
  const operator = await spawnOperator({
    kubeconfig: controlPlane.kubeconfig,
    namespace: NAMESPACE,
  });
  started.push(operator);
  const code = await operator.exited;
  return { code, log: operator.logs() };
}

/** The operator's own lines: pino's JSON lines left out. */
const plainLines = (log: string): string[] =>
  log.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));

beforeAll(async () => {
  controlPlane = await startControlPlane({ log: () => undefined });
});

afterAll(async () => {
  for (const operator of started) await operator.kill();
  await controlPlane.stop();
});

describe('npm start against a cluster that is not ready for oos', () => {
  it('without the CRDs: names them and how to install them, exits 1', async () => {
    const { code, log } = await startAndExit();
    expect(code, log).toBe(1);
    const lines = plainLines(log);
    expect(lines, log).toEqual([
      expect.stringMatching(
        /^oos-operator: OOS_ERR_CRDS_MISSING: the apiserver at https:\/\/127\.0\.0\.1:\d+ does not serve the oos\.dev API .*kubectl apply --server-side -f crds\//,
      ),
    ]);
    expect(log).not.toMatch(/\n\s+at /);
  });

  it('without its namespace: names it and how to create it, exits 1', async () => {
    await kubectl(['apply', '--server-side', '-f', 'crds/']);
    await kubectl(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', '--all']);
    const { code, log } = await startAndExit();
    expect(code, log).toBe(1);
    expect(plainLines(log), log).toEqual([
      `oos-operator: OOS_ERR_NAMESPACE_MISSING: the namespace "${NAMESPACE}" does not exist ` +
        '(oos keeps its certificate Secret, its leader Lease and its Events there): create it ' +
        `with \`kubectl create namespace ${NAMESPACE}\`, or pass \`--namespace <an existing namespace>\`.`,
    ]);
    expect(log).not.toMatch(/\n\s+at /);
  });

  it('once both are there, the same command starts and becomes ready', async () => {
    await kubectl(['create', 'namespace', NAMESPACE]);
    const operator = await spawnOperator({
      kubeconfig: controlPlane.kubeconfig,
      namespace: NAMESPACE,
    });
    started.push(operator);
    await waitUntilReady(operator, { timeoutMs: 60_000 });
    expect(operator.hasExited()).toBe(false);
    await operator.stop();
  });
});
