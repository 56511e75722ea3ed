import { readFileSync, writeFileSync } from 'node:fs';
import { ControlPlaneError } from '../errors.js';
import { isRunning } from '../processes.js';
import type { NodeBinaries } from './build.js';
import { CRI_NAMESPACE, PAUSE_IMAGE } from './configs.js';
import { goArch, imageArchive, type ImageSpec } from './image.js';
import { tryRun } from './run.js';
import { readNodeState, type NodeState } from './state.js';

/** The image of the node's e2e test: the probe, serving HTTP on 8080 as nobody. */
export const PROBE_IMAGE = 'oos.local/probe:1';

function probeImage(
  bins: NodeBinaries,
  name: string,
  command: readonly string[],
  user: string,
): ImageSpec {
  return {
    name,
    files: [{ path: 'probe', mode: 0o755, data: readFileSync(bins.path('probe')) }],
    entrypoint: ['/probe'],
    cmd: command,
    user,
    architecture: goArch(),
  };
}

/** The Pod sandbox image: the probe pausing, as the conventional pause image's uid 65535. */
export function writePauseImage(bins: NodeBinaries, file: string): void {
  writeFileSync(file, imageArchive(probeImage(bins, PAUSE_IMAGE, ['pause'], '65535:65535')));
}

/** The test image: `probe serve 8080` as nobody; `probe get URL` and `probe hostname` for exec. */
export function writeProbeImage(bins: NodeBinaries, file: string): void {
  writeFileSync(
    file,
    imageArchive(probeImage(bins, PROBE_IMAGE, ['serve', '8080'], '65534:65534')),
  );
}

/** Imports an OCI or Docker image archive into a runtime's CRI namespace, unpacked for overlayfs. */
export function importIntoRuntime(ctr: string, socket: string, archive: string): string {
  const result = tryRun(
    ctr,
    [
      '--address',
      socket,
      '--namespace',
      CRI_NAMESPACE,
      'images',
      'import',
      '--local',
      '--snapshotter',
      'overlayfs',
      archive,
    ],
    300_000,
  );
  if (!result.ok) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_IMPORT',
      `Importing ${archive} into the node's runtime failed:\n${result.output}\n` +
        'The file must be an OCI image layout or a `docker save` archive (tar, uncompressed).',
    );
  }
  return result.output;
}

/**
 * Imports an image archive into the running node of `clusterDir` (`npm run cluster:image-import`),
 * so Pods can use it with `imagePullPolicy: IfNotPresent` or `Never`: nothing is pulled.
 */
export function importImage(clusterDir: string, archive: string): string {
  const state = requireRunningNode(clusterDir, 'import again');
  return importIntoRuntime(`${state.binDir}/ctr`, state.containerdSocket, archive);
}

/** The state of the node of `clusterDir` while its runtime runs; else OOS_ERR_NODE_NOT_RUNNING. */
export function requireRunningNode(clusterDir: string, then: string): NodeState {
  const state = readNodeState(clusterDir);
  const containerd = state?.processes.find((p) => p.name === 'containerd');
  if (!state || !containerd || !isRunning(containerd)) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_NOT_RUNNING',
      `No local node is running in ${clusterDir}: start one with \`npm run cluster:up -- --node\`, then ${then}.`,
    );
  }
  return state;
}
