import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { existingNodeCgroups } from '../../controlplane/node/cgroups.js';
import { KUBELET_SYSCTLS, mountPoints, readSysctls } from '../../controlplane/node/host.js';

/**
 * What a node could leave behind on the host, reduced to what is ours or could be: other work on
 * the machine (other tests, image builds) may add its own mounts and links meanwhile, so only
 * the names, paths and rules a node makes are compared.
 */
export interface HostSnapshot {
  readonly processes: readonly string[];
  readonly mounts: readonly string[];
  readonly netns: readonly string[];
  readonly links: readonly string[];
  readonly routes: readonly string[];
  readonly iptables: readonly string[];
  /** The host's ipsets (kube-router keeps its in the node's namespace: none may appear here). */
  readonly ipsets: readonly string[];
  readonly cgroups: readonly string[];
  readonly sysctls: Record<string, string>;
  readonly hostPaths: readonly string[];
}

const sh = (command: string, args: readonly string[]): string => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};

/** The node's address range and the names of its chains, links and paths. */
const OURS = /198\.18\.|KUBE-|CNI-|oos-|cni0|veth/;

/** Sysctls of the host (its own network namespace) that a node's parts write. */
const SYSCTLS = [
  ...KUBELET_SYSCTLS,
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/bridge/bridge-nf-call-iptables',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
].filter((name) => existsSync(`/proc/sys/${name}`));

/** Processes running a binary from `binDirs`, or naming `clusterDir` on their command line. */
function processesOf(clusterDir: string, binDirs: readonly string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(clusterDir) || binDirs.some((d) => exe.startsWith(d))) {
        found.push(`${pid} ${cmdline}`);
      }
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found.sort();
}

export function snapshotHost(clusterDir: string, binDirs: readonly string[]): HostSnapshot {
  const lines = (text: string): string[] =>
    text
      .split('\n')
      .filter((l) => OURS.test(l))
      .map((l) => l.replace(/^\d+: /, '').replace(/\[\d+:\d+\]/g, ''))
      .sort();
  return {
    processes: processesOf(clusterDir, binDirs),
    mounts: mountPoints()
      .filter(
        (m) =>
          m.startsWith(clusterDir) ||
          /^\/run\/(netns|containerd)|^\/var\/lib\/(kubelet|containerd)|oos-node/.test(m),
      )
      .sort(),
    netns: sh('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter(Boolean)
      .sort(),
    links: lines(sh('ip', ['-o', 'link', 'show'])).map((l) => l.split(' ')[0] ?? l),
    routes: lines(sh('ip', ['route', 'show', 'table', 'all'])),
    iptables: [...lines(sh('iptables-save', [])), ...lines(sh('iptables-legacy-save', []))],
    ipsets: sh('ipset', ['list', '-name']).split('\n').filter(Boolean).sort(),
    cgroups: existingNodeCgroups(),
    sysctls: readSysctls(SYSCTLS),
    hostPaths: [
      ...['/run/netns', '/run/containerd', '/var/lib/cni', '/var/log/containers'].filter((p) =>
        existsSync(p),
      ),
      // The entries of the paths only the node writes to (the runtime's shim sockets in
      // /run/containerd/s may be another runtime's on this machine).
      ...['/run/netns', '/var/lib/cni', '/var/log/containers']
        .filter((p) => existsSync(p))
        .flatMap((p) => readdirSync(p, { recursive: true }).map((e) => `${p}/${String(e)}`)),
    ].sort(),
  };
}
