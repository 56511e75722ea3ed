import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { NODE_NETWORK } from './addresses.js';

/**
 * The kernel settings of the host that the kubelet writes when it starts (its "kernel tunables",
 * which are not per network namespace). They are read before the kubelet starts and written back
 * by `cluster:down`.
 */
export const KUBELET_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
] as const;

/**
 * Host paths that parts of the node write outside the node's directory, whatever their
 * configuration: the kubelet's container log links, the CNI library's result cache, and the
 * runtime shims' sockets. A path the node created is removed by `cluster:down`; in one that was
 * there before, only the node's own entries are.
 */
export const HOST_PATHS = ['/var/log/containers', '/var/lib/cni', '/run/containerd'] as const;

export interface HostSnapshot {
  readonly sysctls: Record<string, string>;
  /** The HOST_PATHS that did not exist before the node started. */
  readonly createdPaths: readonly string[];
  /** When the snapshot was taken (ms since the epoch), before the node made anything. */
  readonly takenAt: number;
  /** /run/netns before: `ip netns add` creates it and mounts it on itself on first use. */
  readonly netnsDir: { readonly existed: boolean; readonly mounted: boolean };
}

const NETNS_DIR = '/run/netns';

const sysctlFile = (name: string): string => `/proc/sys/${name}`;

export function readSysctls(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [name, readFileSync(sysctlFile(name), 'utf8').trim()]),
  );
}

export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p) => p.replace(/\\040/g, ' '));
}

export function snapshotHost(): HostSnapshot {
  return {
    sysctls: readSysctls(KUBELET_SYSCTLS),
    createdPaths: HOST_PATHS.filter((p) => !existsSync(p)),
    takenAt: Date.now(),
    netnsDir: { existed: existsSync(NETNS_DIR), mounted: mountPoints().includes(NETNS_DIR) },
  };
}

/** Unmounts and removes /run/netns if the node made it so and it is empty. */
export function restoreNetnsDir(snapshot: HostSnapshot): void {
  if (!existsSync(NETNS_DIR) || readdirSync(NETNS_DIR).length > 0) return;
  if (!snapshot.netnsDir.mounted && mountPoints().includes(NETNS_DIR)) {
    spawnSync('umount', [NETNS_DIR]);
  }
  if (!snapshot.netnsDir.existed && !mountPoints().includes(NETNS_DIR))
    rmSync(NETNS_DIR, { recursive: true, force: true });
}

/** Writes back the sysctls the snapshot holds; returns the ones it changed. */
export function restoreSysctls(snapshot: HostSnapshot): string[] {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(snapshot.sysctls)) {
    if (readFileSync(sysctlFile(name), 'utf8').trim() === value) continue;
    writeFileSync(sysctlFile(name), value);
    changed.push(`${name.replace(/\//g, '.')}=${value}`);
  }
  return changed;
}

const isUnder = (path: string, dir: string): boolean => {
  const p = resolve(path);
  const d = resolve(dir);
  return p === d || p.startsWith(`${d}/`);
};

/**
 * Removes what the node left in the HOST_PATHS: the log links into the node's directory, the
 * CNI results of the node's network, and each path the node created (shim sockets included).
 */
export function cleanHostPaths(snapshot: HostSnapshot, nodeDir: string): void {
  const logs = '/var/log/containers';
  if (existsSync(logs)) {
    for (const name of readdirSync(logs)) {
      const link = join(logs, name);
      if (lstatSync(link).isSymbolicLink() && isUnder(readlinkSync(link), nodeDir)) rmSync(link);
    }
  }
  // The runtime caches each Pod's CNI results here: its network's, and the loopback one's
  // ("cni-loopback-<sandbox id>-lo"); the loopback entries that are not older than the node are its.
  const results = '/var/lib/cni/results';
  if (existsSync(results)) {
    for (const name of readdirSync(results)) {
      const file = join(results, name);
      const ours =
        name.startsWith(`${NODE_NETWORK.cniNetwork}-`) ||
        (name.startsWith('cni-loopback-') && statSync(file).mtimeMs >= snapshot.takenAt);
      if (ours) rmSync(file, { force: true });
    }
  }
  for (const path of snapshot.createdPaths) rmSync(path, { recursive: true, force: true });
}

/** The mount points under `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  return mountPoints()
    .filter((p) => isUnder(p, dir))
    .sort((a, b) => b.length - a.length);
}
