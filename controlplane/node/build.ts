import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, goBuild, kubernetesLdflags, requireGo } from '../build.js';
import { ControlPlaneError } from '../errors.js';
import { nodeModuleDir, nodePinnedVersions, type NodePinnedVersions } from './versions.js';

/** The node's programs, by file name in the cache directory. */
export const NODE_PROGRAMS = [
  'kubelet',
  'kube-proxy',
  'kube-scheduler',
  'containerd',
  'containerd-shim-runc-v2',
  'ctr',
  'runc',
  'bridge',
  'host-local',
  'loopback',
  'portmap',
  'kube-router',
  'probe',
] as const;

export type NodeProgram = (typeof NODE_PROGRAMS)[number];

export interface NodeBinaries {
  /** Every program is `${dir}/${name}`; the CNI plugins are found there too. */
  readonly dir: string;
  readonly path: (program: NodeProgram) => string;
  readonly versions: NodePinnedVersions;
}

export function nodeBinariesFor(versions = nodePinnedVersions()): NodeBinaries {
  const dir = join(
    cacheRoot(),
    'node',
    `k8s-${versions.kubernetes}_containerd-${versions.containerd}_runc-${versions.runc}_cni-${versions.cni}_kube-router-${versions.kubeRouter}_${versions.fingerprint}`,
  );
  return Object.freeze({ dir, path: (program: NodeProgram) => join(dir, program), versions });
}

function isComplete(bins: NodeBinaries): boolean {
  return (
    existsSync(join(bins.dir, 'COMPLETE')) && NODE_PROGRAMS.every((p) => existsSync(bins.path(p)))
  );
}

/** runc links libseccomp (cgo), so Pods asking for the RuntimeDefault profile get one. */
function requireLibseccomp(): void {
  const probe = spawnSync('pkg-config', ['--exists', 'libseccomp']);
  if (probe.error || probe.status !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_UNSUPPORTED',
      'Building runc for the local node needs a C compiler, pkg-config and libseccomp-dev. ' +
        'Run `scripts/install-test-deps.sh` (it installs them from Debian packages), then try again.',
    );
  }
}

/**
 * Returns the node's binaries, building them from the Go modules under controlplane/node/ the
 * first time (kubelet, kube-proxy and kube-scheduler at the control plane's Kubernetes version;
 * containerd v2 with its CRI plugin, its runc shim and ctr; runc with seccomp; the CNI plugins;
 * kube-router, of which the node runs only the NetworkPolicy firewall; the probe that the node's
 * local images hold).
 */
export async function ensureNodeBinaries(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<NodeBinaries> {
  const bins = nodeBinariesFor();
  if (isComplete(bins)) return bins;
  const goVersion = requireGo();
  requireLibseccomp();
  const { versions } = bins;
  const staging = `${bins.dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(
    `oos: building the node (Kubernetes ${versions.kubernetes}, containerd ${versions.containerd}, ` +
      `runc ${versions.runc}, CNI plugins ${versions.cni}, kube-router ${versions.kubeRouter}) from source with ${goVersion} ` +
      `(the first build takes a while; later runs reuse ${bins.dir})`,
  );
  const containerdX = 'github.com/containerd/containerd/v2/version';
  const cni = 'github.com/containernetworking/plugins/plugins';
  const kubeRouterX = 'github.com/cloudnativelabs/kube-router/v2/pkg/version';
  try {
    await goBuild(
      nodeModuleDir('kube'),
      staging,
      kubernetesLdflags(versions.kubernetes),
      ['kubelet', 'kube-proxy', 'kube-scheduler'].map((c) => `k8s.io/kubernetes/cmd/${c}`),
      log,
    );
    await goBuild(
      nodeModuleDir('containerd'),
      staging,
      `-s -w -X ${containerdX}.Version=${versions.containerd} -X ${containerdX}.Revision=pinned`,
      ['containerd', 'containerd-shim-runc-v2', 'ctr'].map(
        (c) => `github.com/containerd/containerd/v2/cmd/${c}`,
      ),
      log,
      { tags: ['no_btrfs'] },
    );
    await goBuild(
      nodeModuleDir('runc'),
      staging,
      `-s -w -X main.version=${versions.runc.replace(/^v/, '')}`,
      ['github.com/opencontainers/runc'],
      log,
      { cgo: true, tags: ['seccomp'] },
    );
    await goBuild(
      nodeModuleDir('cni'),
      staging,
      '-s -w',
      ['ipam/host-local', 'main/bridge', 'main/loopback', 'meta/portmap'].map((p) => `${cni}/${p}`),
      log,
    );
    await goBuild(
      nodeModuleDir('netpol'),
      staging,
      `-s -w -X ${kubeRouterX}.Version=${versions.kubeRouter} -X ${kubeRouterX}.BuildDate=pinned`,
      ['github.com/cloudnativelabs/kube-router/v2/cmd/kube-router'],
      log,
    );
    await goBuild(nodeModuleDir('probe'), staging, '-s -w', ['.'], log);
    writeFileSync(
      join(staging, 'COMPLETE'),
      `${JSON.stringify({ ...versions, go: goVersion }, null, 2)}\n`,
    );
    rmSync(bins.dir, { recursive: true, force: true });
    mkdirSync(join(bins.dir, '..'), { recursive: true });
    renameSync(staging, bins.dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`oos: node binaries ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return bins;
}
