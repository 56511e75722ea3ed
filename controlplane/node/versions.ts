import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requiredVersion } from '../versions.js';

/** This folder: one Go module per component, so no component's dependencies move another's. */
export const NODE_DIR = dirname(fileURLToPath(import.meta.url));

/** The Go modules of the node, by folder, with the module each pins (the probe pins nothing). */
export const NODE_MODULES = {
  kube: 'k8s.io/kubernetes',
  containerd: 'github.com/containerd/containerd/v2',
  runc: 'github.com/opencontainers/runc',
  cni: 'github.com/containernetworking/plugins',
  netpol: 'github.com/cloudnativelabs/kube-router/v2',
  probe: undefined,
} as const satisfies Record<string, string | undefined>;

export type NodeModule = keyof typeof NODE_MODULES;

export interface NodePinnedVersions {
  readonly kubernetes: string;
  readonly containerd: string;
  readonly runc: string;
  readonly cni: string;
  /** kube-router, run as the node's NetworkPolicy firewall only. */
  readonly kubeRouter: string;
  /** Changes whenever a go.mod, go.sum or the probe's source changes. */
  readonly fingerprint: string;
}

const moduleDir = (module: NodeModule): string => join(NODE_DIR, module);

/** The files whose bytes decide what is built: hashed into the cache key. */
export function nodeBuildInputs(): string[] {
  return [
    ...Object.keys(NODE_MODULES).flatMap((m) =>
      m === 'probe'
        ? ['go.mod'].map((f) => join(NODE_DIR, m, f))
        : [join(NODE_DIR, m, 'go.mod'), join(NODE_DIR, m, 'go.sum')],
    ),
    join(NODE_DIR, 'probe', 'main.go'),
  ];
}

/** Reads the node's pinned versions from its go.mod files, the single source of truth. */
export function nodePinnedVersions(): NodePinnedVersions {
  const hash = createHash('sha256');
  for (const file of nodeBuildInputs()) hash.update(readFileSync(file));
  const pin = (module: Exclude<NodeModule, 'probe'>): string =>
    requiredVersion(readFileSync(join(moduleDir(module), 'go.mod'), 'utf8'), NODE_MODULES[module]);
  return Object.freeze({
    kubernetes: pin('kube'),
    containerd: pin('containerd'),
    runc: pin('runc'),
    cni: pin('cni'),
    kubeRouter: pin('netpol'),
    fingerprint: hash.digest('hex').slice(0, 12),
  });
}

export { moduleDir as nodeModuleDir };
