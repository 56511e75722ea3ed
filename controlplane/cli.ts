import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureBinaries } from './build.js';
import {
  isHealthy,
  readState,
  startControlPlane,
  stopControlPlane,
  type ControlPlaneState,
} from './controlplane.js';
import { ControlPlaneError } from './errors.js';
import { MODULE_DIR } from './versions.js';
import { NODE_NETWORK } from './node/addresses.js';
import { ensureNodeBinaries } from './node/build.js';
import { importImage } from './node/images.js';
import { installOos, uninstallOos } from './node/oos-release.js';
import { startClusterWithNode } from './node/node.js';
import { readNodeState } from './node/state.js';

const USAGE = `Usage: tsx controlplane/cli.ts <command> [--node]

The local Kubernetes control plane of oos (etcd, kube-apiserver, kube-controller-manager),
built from source with Go and run on loopback with random ports. No nodes (Pods stay Pending)
unless --node adds one real worker node (root only; docs/node.md).

Commands:
  build [--node]  build (or find in the cache) etcd, kube-apiserver, kube-controller-manager,
                  kubectl, helm, promtool and alertmanager; with --node also kubelet, kube-proxy, kube-scheduler,
                  containerd, runc, the CNI plugins and kube-router; prints where they are
                                                          (npm run controlplane:build)
  up [--node]     start a control plane that keeps running after the command returns;
                  idempotent. With --node: one worker node in the network namespace oos-node,
                  the apiserver on 198.18.0.1 instead of loopback.
                  Kubeconfig: .cluster/kubeconfig, kubectl: .cluster/bin/kubectl
                                                          (npm run cluster:up [-- --node])
  down            stop it (and its node) and remove .cluster/   (npm run cluster:down)
  install [--set key=value ...]
                  install oos into the running node cluster as users do: build the image
                  (npm run image, cached), import it into the node, then \`helm upgrade --install
                  oos charts/oos -n oos-system\` with that image and the node's values
                  (docs/node.md), waiting until both replicas are Ready; --set adds Helm values
                                                          (npm run cluster:install)
  uninstall       remove that release and its namespace   (npm run cluster:uninstall)
  image-import <archive.tar>
                  import an OCI or \`docker save\` image archive into the node's runtime, so
                  Pods run it without a registry      (npm run cluster:image-import -- <file>)
Environment:
  XDG_CACHE_HOME   the binaries are cached in \${XDG_CACHE_HOME:-~/.cache}/oos/{controlplane,node}
  OOS_CLUSTER_DIR  use this directory instead of .cluster/ (the node e2e test does)
`;

const REPO_ROOT = resolve(MODULE_DIR, '..');
const CLUSTER_DIR = process.env.OOS_CLUSTER_DIR
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.OOS_CLUSTER_DIR)
  : join(REPO_ROOT, '.cluster');
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function howToUse(state: Pick<ControlPlaneState, 'kubeconfig' | 'server' | 'binDir'>): string {
  const rel = relative(process.cwd(), state.kubeconfig);
  const kubeconfig = rel.startsWith('..') || rel === '' ? state.kubeconfig : rel;
  return [
    `kube-apiserver: ${state.server}`,
    `  export KUBECONFIG=${state.kubeconfig}`,
    `  kubectl --kubeconfig ${kubeconfig} get namespaces`,
    `  (kubectl and helm of the same version: ${state.binDir})`,
  ].join('\n');
}

async function up(flags: Flags): Promise<void> {
  const existing = readState(CLUSTER_DIR);
  const hasNode = readNodeState(CLUSTER_DIR) !== undefined;
  if (existing && (await isHealthy(existing))) {
    if (flags.node === hasNode) {
      say(
        `The local control plane${hasNode ? ' and its node are' : ' is'} already running.\n${howToUse(existing)}`,
      );
      return;
    }
    throw new ControlPlaneError(
      'OOS_ERR_USAGE',
      `The local control plane is running ${hasNode ? 'with' : 'without'} a node. Run ` +
        `\`npm run cluster:down\` first, then \`npm run cluster:up${flags.node ? ' -- --node' : ''}\`.`,
    );
  }
  if (existsSync(CLUSTER_DIR)) await stopControlPlane(CLUSTER_DIR);
  mkdirSync(CLUSTER_DIR, { recursive: true });
  const cp = flags.node
    ? (await startClusterWithNode(CLUSTER_DIR, progress)).controlPlane
    : await startControlPlane({ dir: CLUSTER_DIR, persistent: true, log: progress });
  mkdirSync(join(CLUSTER_DIR, 'bin'), { recursive: true });
  for (const tool of ['kubectl', 'helm'] as const) {
    const link = join(CLUSTER_DIR, 'bin', tool);
    rmSync(link, { force: true });
    symlinkSync(cp.binaries[tool], link);
  }
  const node = flags.node
    ? `\nNode ${NODE_NETWORK.nodeName} is Ready at ${NODE_NETWORK.nodeAddress} (Pods ${NODE_NETWORK.podCidr}, ` +
      `Services ${NODE_NETWORK.serviceCidr}); install oos with \`npm run cluster:install\`, ` +
      'import other images with `npm run cluster:image-import -- <file>`.'
    : '';
  say(
    `The local control plane is running; stop it with \`npm run cluster:down\`.${node}\n${howToUse(cp)}`,
  );
}

async function down(): Promise<void> {
  // A node's containers, mounts, cgroups and network go too, even those of a node whose state
  // was lost in a crash.
  const { controlPlane, node } = await stopControlPlane(CLUSTER_DIR, { orphans: true });
  if (node.removed.length > 0) say(`Node removed: ${node.removed.join(', ')}.`);
  if (node.left.length > 0) progress(`oos: could not remove: ${node.left.join(', ')}`);
  say(controlPlane ? 'The local control plane is stopped.' : 'No local control plane was running.');
}

async function build(flags: Flags): Promise<void> {
  const bins = await ensureBinaries(progress);
  say(
    `Control plane binaries (${bins.versions.kubernetes}, etcd ${bins.versions.etcd}, helm ${bins.versions.helm}, ` +
      `prometheus ${bins.versions.prometheus}, alertmanager ${bins.versions.alertmanager}):`,
  );
  say(`  ${bins.dir}`);
  if (!flags.node) return;
  const node = await ensureNodeBinaries(progress);
  const v = node.versions;
  say(
    `Node binaries (${v.kubernetes}, containerd ${v.containerd}, runc ${v.runc}, CNI plugins ${v.cni}, kube-router ${v.kubeRouter}):`,
  );
  say(`  ${node.dir}`);
}

function imageImport(flags: Flags): Promise<void> {
  const [given] = flags.args;
  if (given === undefined || flags.args.length > 1) {
    throw new ControlPlaneError(
      'OOS_ERR_USAGE',
      'image-import takes one argument: the image archive.',
    );
  }
  // npm runs scripts in the package's folder; a relative path is the user's, from INIT_CWD.
  const archive = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (!existsSync(archive)) {
    throw new ControlPlaneError('OOS_ERR_FILE_NOT_FOUND', `${archive} does not exist.`);
  }
  say(importImage(CLUSTER_DIR, archive));
  return Promise.resolve();
}

/** The running control plane of CLUSTER_DIR with its node, as install and uninstall need it. */
async function runningNodeCluster(): Promise<ControlPlaneState> {
  const state = readState(CLUSTER_DIR);
  if (!state || !(await isHealthy(state)) || readNodeState(CLUSTER_DIR) === undefined) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_NOT_RUNNING',
      `No local control plane with a node runs in ${CLUSTER_DIR}: start one with ` +
        '`npm run cluster:up -- --node` (as root), then install again.',
    );
  }
  return state;
}

async function install(flags: Flags): Promise<void> {
  const state = await runningNodeCluster();
  const installed = await installOos({
    clusterDir: CLUSTER_DIR,
    kubeconfig: state.kubeconfig,
    helm: join(state.binDir, 'helm'),
    kubectl: join(state.binDir, 'kubectl'),
    log: progress,
    set: flags.set,
  });
  say(
    `oos is installed: release ${installed.release} in namespace ${installed.namespace}, image ` +
      `${installed.image}, both webhooks served by the Service ${installed.fullname}-webhook.\n` +
      `Remove it with \`npm run cluster:uninstall\`.\n${howToUse(state)}`,
  );
}

async function uninstall(): Promise<void> {
  const state = await runningNodeCluster();
  await uninstallOos({
    kubeconfig: state.kubeconfig,
    helm: join(state.binDir, 'helm'),
    kubectl: join(state.binDir, 'kubectl'),
  });
  say('oos is uninstalled (its CRDs and governance objects stay, as with `helm uninstall`).');
}

interface Flags {
  readonly node: boolean;
  readonly args: readonly string[];
  /** install: the values of each `--set key=value`. */
  readonly set: readonly string[];
}

const commands: Record<string, (flags: Flags) => Promise<void>> = {
  up,
  down,
  build,
  'image-import': imageImport,
  install,
  uninstall,
};

/** Takes each `--set key=value` (or `--set=key=value`) out of `rest`. */
function takeSets(command: string, rest: readonly string[]): { set: string[]; rest: string[] } {
  const set: string[] = [];
  const left: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    const value = arg === '--set' ? rest[(i += 1)] : arg.startsWith('--set=') ? arg.slice(6) : null;
    if (value === null) {
      left.push(arg);
      continue;
    }
    if (command !== 'install') {
      throw new ControlPlaneError('OOS_ERR_USAGE', `--set goes with install only.\n\n${USAGE}`);
    }
    if (value === undefined || !/^[^=]+=/.test(value)) {
      throw new ControlPlaneError(
        'OOS_ERR_USAGE',
        `--set takes key=value (a Helm value of charts/oos), e.g. --set logLevel=debug.`,
      );
    }
    set.push(value);
  }
  return { set, rest: left };
}

function parseFlags(command: string, given: readonly string[]): Flags {
  const { set, rest } = takeSets(command, given);
  const node = rest.includes('--node');
  const args = rest.filter((a) => a !== '--node');
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown)
    throw new ControlPlaneError('OOS_ERR_USAGE', `Unknown option "${unknown}".\n\n${USAGE}`);
  if (node && command !== 'up' && command !== 'build') {
    throw new ControlPlaneError('OOS_ERR_USAGE', `--node goes with up or build only.\n\n${USAGE}`);
  }
  if (args.length > 0 && command !== 'image-import') {
    throw new ControlPlaneError('OOS_ERR_USAGE', `${command} takes no arguments.\n\n${USAGE}`);
  }
  return { node, args, set };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    say(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  try {
    await run(parseFlags(command, rest));
    return 0;
  } catch (error) {
    if (error instanceof ControlPlaneError) {
      process.stderr.write(`oos: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
