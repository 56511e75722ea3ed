import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_NETWORK } from '../controlplane/node/addresses.js';
import { nodeBinariesFor } from '../controlplane/node/build.js';
import { importImage, writeProbeImage } from '../controlplane/node/images.js';
import { startClusterWithNode } from '../controlplane/node/node.js';
import { installOos } from '../controlplane/node/oos-release.js';
import { checkNodeCanStart } from '../controlplane/node/preflight.js';
import { readNodeState } from '../controlplane/node/state.js';
import { isRunning } from '../controlplane/processes.js';
import type { RunningStage } from './stage.js';
import { MODEL_IMAGE } from './story.js';
import { Terminal } from './terminal.js';

/** GPUs the demo's node advertises (an extended resource: no device behind it). */
const ADVERTISED_GPUS = '4';

/**
 * `npm run demo -- --node`: the control plane with one real worker node, oos installed by its
 * Helm chart from the image built from this repository (both replicas run on the node), and a
 * stand-in for the story's model server, so its Pods really run and really stop.
 */
export async function startNodeStage(
  log: (line: string) => void,
): Promise<{ stage: RunningStage; terminal: Terminal }> {
  checkNodeCanStart(); // before anything is made: root, the packages, no other node
  const dir = mkdtempSync(join(tmpdir(), 'oos-demo-node-'));
  const { controlPlane: cp } = await startClusterWithNode(dir, log).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true }); // it undid what it had made
    throw error;
  });
  const t = new Terminal(cp.binaries.kubectl, cp.kubeconfig);
  try {
    // The model server is the node's probe image under the story's image name (nothing is pulled).
    const standIn = join(dir, 'model-image.tar');
    writeProbeImage(nodeBinariesFor(), standIn, MODEL_IMAGE);
    importImage(dir, standIn);
    // The story's Deployments ask for a GPU: the node advertises some, as the documented way to
    // advertise an extended resource does (a patch of the Node's status).
    await t.must([
      ...['patch', 'node', NODE_NETWORK.nodeName, '--subresource=status', '--type=json'],
      '-p',
      JSON.stringify([
        { op: 'add', path: '/status/capacity/nvidia.com~1gpu', value: ADVERTISED_GPUS },
      ]),
    ]);
    const release = await installOos({
      clusterDir: dir,
      kubeconfig: cp.kubeconfig,
      helm: cp.binaries.helm,
      log,
      set: ['extraArgs[0]=--audit-interval=10s'],
    });
    const ns = release.namespace;
    const stage: RunningStage = {
      controlPlane: cp,
      node: true,
      where: `installed by its chart (release ${ns}/${release.release}, image ${release.image}), both replicas on node ${NODE_NETWORK.nodeName}`,
      hints: [
        `${cp.binaries.kubectl} get pods -n ${ns} -o wide`,
        `logs: ${cp.binaries.kubectl} logs -n ${ns} deployment/${release.fullname}`,
        `metrics: ${cp.binaries.kubectl} get --raw /api/v1/namespaces/${ns}/services/https:${release.fullname}-webhook:443/proxy/metrics`,
      ],
      problem: () => {
        const node = readNodeState(dir)?.processes ?? [];
        const dead = [...cp.processes, ...node].find((p) => !isRunning(p));
        return dead ? `${dead.name} exited unexpectedly; its log: ${dead.log}` : undefined;
      },
      stop: () => cp.stop(),
    };
    return { stage, terminal: t };
  } catch (error) {
    await cp.stop();
    throw error;
  }
}
