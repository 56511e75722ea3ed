import { existsSync } from 'node:fs';
import { EGRESS_PEER, NODE_NETWORK, ROUTED_RANGES } from './addresses.js';
import { inNetns, run, tryRun } from './run.js';

const n = NODE_NETWORK;

export const netnsPath = (): string => `/run/netns/${n.netns}`;

/** True when the node's network namespace exists (a node runs, or a crashed one left it). */
export function nodeNetworkExists(): boolean {
  return existsSync(netnsPath()) || tryRun('ip', ['link', 'show', n.hostLink]).ok;
}

/**
 * Creates the node's network: a namespace, a veth pair between it and the host with a /30 on each
 * end, forwarding inside the namespace only, and host routes for the Pod and Service ranges
 * through the veth. Touches nothing of the host but the link it creates.
 */
export function createNodeNetwork(): void {
  const link = (address: string): string => `${address}/${n.linkPrefix}`;
  run('ip', ['netns', 'add', n.netns]);
  run('ip', [
    'link',
    'add',
    n.hostLink,
    'type',
    'veth',
    'peer',
    'name',
    n.nodeLink,
    'netns',
    n.netns,
  ]);
  run('ip', ['addr', 'add', link(n.hostAddress), 'dev', n.hostLink]);
  run('ip', ['link', 'set', n.hostLink, 'up']);
  run('ip', ['-n', n.netns, 'link', 'set', 'lo', 'up']);
  run('ip', ['-n', n.netns, 'addr', 'add', link(n.nodeAddress), 'dev', n.nodeLink]);
  run('ip', ['-n', n.netns, 'link', 'set', n.nodeLink, 'up']);
  // /proc/sys/net belongs to the namespace of the process that writes it: the host keeps its own.
  const forward = inNetns(n.netns, 'sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  if (!forward.ok) throw new Error(`could not enable forwarding in ${n.netns}: ${forward.output}`);
  for (const range of ROUTED_RANGES) {
    run('ip', ['route', 'add', range, 'via', n.nodeAddress, 'dev', n.hostLink]);
  }
  // Traffic the node itself sends to a ClusterIP needs a route before kube-proxy's DNAT picks a
  // Pod; the namespace has no default route, so nothing else leaves it.
  run('ip', [
    '-n',
    n.netns,
    'route',
    'add',
    n.serviceCidr,
    'via',
    n.hostAddress,
    'dev',
    n.nodeLink,
  ]);
}

/**
 * Removes the namespace and the host's veth end (the routes and the peer go with them), and the
 * egress peer's namespace an e2e test may have left. Idempotent; returns what it removed.
 */
export function removeNodeNetwork(): string[] {
  const removed: string[] = [];
  if (existsSync(`/run/netns/${EGRESS_PEER.netns}`)) {
    if (tryRun('ip', ['netns', 'delete', EGRESS_PEER.netns]).ok) {
      removed.push(`network namespace ${EGRESS_PEER.netns}`);
    }
  }
  if (existsSync(netnsPath()) && tryRun('ip', ['netns', 'delete', n.netns]).ok) {
    removed.push(`network namespace ${n.netns}`);
  }
  if (
    tryRun('ip', ['link', 'show', n.hostLink]).ok &&
    tryRun('ip', ['link', 'delete', n.hostLink]).ok
  ) {
    removed.push(`link ${n.hostLink}`);
  }
  return removed;
}
