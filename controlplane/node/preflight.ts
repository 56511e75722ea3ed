import { ControlPlaneError } from '../errors.js';
import { nodeNetworkExists } from './network.js';
import { tryRun } from './run.js';

/** Host programs the node runs besides its own binaries, and where each comes from. */
const HOST_PROGRAMS = {
  ip: 'iproute2',
  nsenter: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  iptables: 'iptables (scripts/install-test-deps.sh)',
  conntrack: 'conntrack (scripts/install-test-deps.sh)',
  ipset: 'ipset (scripts/install-test-deps.sh)',
} as const;

/** Why a node cannot start on this machine, or undefined when it can. */
export function nodeUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return 'the local node runs on Linux only';
  if (process.getuid?.() !== 0) {
    return 'the local node needs root (it creates a network namespace, a veth pair, cgroups and mounts)';
  }
  const missing = Object.entries(HOST_PROGRAMS)
    .filter(([program]) => !tryRun('sh', ['-c', `command -v ${program}`]).ok)
    .map(([program, from]) => `${program} (${from})`);
  if (missing.length > 0) return `missing programs: ${missing.join(', ')}`;
  return undefined;
}

/** Throws a clear error unless a node can start here now. */
export function checkNodeCanStart(): void {
  const reason = nodeUnsupportedReason();
  if (reason) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_UNSUPPORTED',
      `Cannot start the local node: ${reason}. Run \`scripts/install-test-deps.sh\` as root for the ` +
        'Debian packages, then run `npm run cluster:up -- --node` as root.',
    );
  }
  if (nodeNetworkExists()) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_BUSY',
      'The node network namespace `oos-node` already exists: a local node is running, or a crashed ' +
        'one left it behind. Run `npm run cluster:down` (it removes both), then try again.',
    );
  }
}
