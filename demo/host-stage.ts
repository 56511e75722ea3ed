import { join } from 'node:path';
import { startControlPlane } from '../controlplane/controlplane.js';
import { spawnOperator, waitUntilReady, type OperatorProcess } from '../controlplane/operator.js';
import { isRunning } from '../controlplane/processes.js';
import { operatorKubeconfig } from './operator-identity.js';
import type { RunningStage } from './stage.js';
import { Terminal } from './terminal.js';

/**
 * The default stage: a control plane with no nodes, the CRDs, and the operator as a process on
 * this machine (the apiserver calls its webhooks on loopback). Pods stay Pending.
 */
export async function startHostStage(
  repo: string,
  namespace: string,
  log: (line: string) => void,
): Promise<{ stage: RunningStage; terminal: Terminal }> {
  const cp = await startControlPlane({ log });
  const t = new Terminal(cp.binaries.kubectl, cp.kubeconfig);
  let operator: OperatorProcess | undefined;
  try {
    await t.must(['apply', '--server-side', '-f', join(repo, 'crds')]);
    await t.must(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', '--all']);
    await t.must(['create', 'namespace', namespace]);
    const identity = await operatorKubeconfig(t, cp.kubeconfig, namespace);
    operator = await spawnOperator({
      kubeconfig: identity,
      namespace,
      args: ['--audit-interval=10s'],
    });
    await waitUntilReady(operator);
  } catch (error) {
    await operator?.stop();
    await cp.stop();
    throw error;
  }
  const running = operator;
  const stage: RunningStage = {
    controlPlane: cp,
    node: false,
    where: `admission webhooks and controller at ${running.url}`,
    hints: [`metrics: curl -k ${running.url}/metrics`],
    problem: () => {
      const dead = cp.processes.find((p) => !isRunning(p));
      if (dead) return `${dead.name} exited unexpectedly; its log: ${dead.log}`;
      return running.hasExited()
        ? `the operator exited:\n${running.logs().slice(-2000)}`
        : undefined;
    },
    stop: async () => {
      await running.stop();
      await cp.stop();
    },
  };
  return { stage, terminal: t };
}
