import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinariesFor } from './build.js';
import { isRunning, stopProcess, type ManagedProcess } from '../processes.js';
import { existingNodeCgroups, nodeCgroupPids, removeNodeCgroups } from './cgroups.js';
import { CRI_NAMESPACE } from './configs.js';
import { cleanHostPaths, mountsUnder, restoreNetnsDir, restoreSysctls } from './host.js';
import { nodeNetworkExists, removeNodeNetwork } from './network.js';
import { tryRun } from './run.js';
import { nodeDir, readNodeState, type NodeState } from './state.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface NodeTeardown {
  /** What was undone, for the user. */
  readonly removed: readonly string[];
  /** What could not be undone (then the node's directory is kept, so nothing is lost). */
  readonly left: readonly string[];
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Pids running a program of the node's bin directory: the runtime's shims, which outlive a
 * killed containerd, and every node program when the state file that lists them is lost.
 */
function pidsRunningFrom(binDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`).startsWith(`${binDir}/`)) pids.push(Number(entry));
    } catch {
      // a kernel thread, or gone meanwhile
    }
  }
  return pids;
}

/** Deletes every task of the CRI namespace through containerd, so each shim cleans up and exits. */
function deleteTasks(state: NodeState): void {
  const containerd = state.processes.find((p) => p.name === 'containerd');
  if (!containerd || !isRunning(containerd)) return;
  const ctr = (...args: string[]): ReturnType<typeof tryRun> =>
    tryRun(
      join(state.binDir, 'ctr'),
      ['--address', state.containerdSocket, '--namespace', CRI_NAMESPACE, ...args],
      20_000,
    );
  const tasks = ctr('tasks', 'list', '--quiet');
  if (!tasks.ok) return;
  for (const id of tasks.output.split('\n').filter(Boolean)) ctr('tasks', 'delete', '--force', id);
}

function unmountAll(dir: string): string[] {
  for (const point of mountsUnder(dir)) {
    if (!tryRun('umount', [point]).ok) tryRun('umount', ['--lazy', point]);
  }
  return mountsUnder(dir);
}

/** The node's clients of the apiserver, which its graceful shutdown would wait for. */
const AGENTS = ['kube-scheduler', 'kubelet', 'kube-proxy', 'kube-router'];

/**
 * Stops the kubelet, kube-proxy, kube-router and kube-scheduler of the node in `clusterDir`, if any: before
 * the apiserver, which otherwise waits out its shutdown grace for their connections. Containers
 * keep running until {@link stopNode}.
 */
export async function stopNodeAgents(clusterDir: string): Promise<string[]> {
  const stopped: string[] = [];
  for (const p of readNodeState(clusterDir)?.processes ?? []) {
    if (!AGENTS.includes(p.name) || !isRunning(p)) continue;
    await stopProcess(p);
    stopped.push(`process ${p.name} (${p.pid})`);
  }
  return stopped;
}

/**
 * Undoes a node, running or crashed: stops its programs and every container, unmounts what is
 * mounted under its directory, removes its cgroups, network namespace and veth pair, writes back
 * the host sysctls the kubelet changed and removes the node's entries in host paths. Idempotent;
 * works from the fixed names alone when the state file is missing.
 */
export async function stopNode(
  clusterDir: string,
  options: { readonly orphans?: boolean } = {},
): Promise<NodeTeardown> {
  const dir = nodeDir(clusterDir);
  const state = readNodeState(clusterDir);
  // A control plane without a node never touches the fixed names: they may belong to the node
  // of another cluster directory. `cluster:down` (orphans) also removes a node whose directory is gone.
  const orphaned =
    options.orphans === true && (nodeNetworkExists() || existingNodeCgroups().length > 0);
  if (!existsSync(dir) && !orphaned) return { removed: [], left: [] };
  const removed: string[] = [];
  const left: string[] = [];
  const processes: readonly ManagedProcess[] = state?.processes ?? [];
  const stop = async (names: readonly string[]): Promise<void> => {
    for (const p of processes.filter((q) => names.includes(q.name))) {
      if (isRunning(p)) removed.push(`process ${p.name} (${p.pid})`);
      await stopProcess(p);
    }
  };

  const binDir = state?.binDir ?? nodeBinariesFor().dir;
  // No new containers: the kubelet and the scheduler go first; with the state lost, every
  // program of the node at once.
  await stop(AGENTS);
  if (!state) {
    const unrecorded = pidsRunningFrom(binDir);
    unrecorded.forEach(kill);
    if (unrecorded.length > 0) removed.push(`${unrecorded.length} unrecorded node process(es)`);
  }
  if (state) deleteTasks(state);
  for (let i = 0; i < 50; i++) {
    const pids = nodeCgroupPids();
    if (pids.length === 0) break;
    if (i === 0) removed.push(`${pids.length} container process(es)`);
    pids.forEach(kill);
    await sleep(100);
  }
  await stop(['containerd']);
  const leftovers = pidsRunningFrom(binDir);
  leftovers.forEach(kill);
  if (leftovers.length > 0) {
    removed.push(`${leftovers.length} runtime shim(s)`);
    await sleep(200);
  }

  const mounted = mountsUnder(dir).length;
  const stillMounted = unmountAll(dir);
  if (mounted > 0) removed.push(`${mounted - stillMounted.length} mount(s) under ${dir}`);
  left.push(...stillMounted.map((m) => `mount ${m}`));

  let cgroupsLeft = removeNodeCgroups();
  for (let i = 0; i < 20 && cgroupsLeft.length > 0; i++) {
    await sleep(100);
    cgroupsLeft = removeNodeCgroups();
  }
  left.push(...cgroupsLeft.map((c) => `cgroup ${c}`));

  removed.push(...removeNodeNetwork());
  if (nodeNetworkExists()) left.push('the node network namespace or veth link');

  if (state) {
    restoreNetnsDir(state.host);
    const restored = restoreSysctls(state.host);
    if (restored.length > 0) removed.push(`sysctl changes (restored ${restored.join(', ')})`);
    cleanHostPaths(state.host, dir);
  }
  return { removed, left };
}
