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

const USAGE = `Usage: tsx controlplane/cli.ts <command>

The local Kubernetes control plane of oos (etcd, kube-apiserver, kube-controller-manager),
built from source with Go and run on loopback with random ports. No nodes: Pods stay Pending.

Commands:
  build   build (or find in the cache) etcd, kube-apiserver, kube-controller-manager,
          kubectl, helm, promtool and alertmanager; prints where (npm run controlplane:build)
  up      start a control plane that keeps running after the command returns; idempotent.
          Kubeconfig: .cluster/kubeconfig, kubectl: .cluster/bin/kubectl  (npm run cluster:up)
  down    stop it and remove .cluster/                           (npm run cluster:down)
Environment:
  XDG_CACHE_HOME   the binaries are cached in \${XDG_CACHE_HOME:-~/.cache}/oos/controlplane
`;

const REPO_ROOT = resolve(MODULE_DIR, '..');
const CLUSTER_DIR = join(REPO_ROOT, '.cluster');
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

async function up(): Promise<void> {
  const existing = readState(CLUSTER_DIR);
  if (existing && (await isHealthy(existing))) {
    say(`The local control plane is already running.\n${howToUse(existing)}`);
    return;
  }
  if (existsSync(CLUSTER_DIR)) await stopControlPlane(CLUSTER_DIR);
  mkdirSync(CLUSTER_DIR, { recursive: true });
  const cp = await startControlPlane({ dir: CLUSTER_DIR, persistent: true, log: progress });
  mkdirSync(join(CLUSTER_DIR, 'bin'), { recursive: true });
  for (const tool of ['kubectl', 'helm'] as const) {
    const link = join(CLUSTER_DIR, 'bin', tool);
    rmSync(link, { force: true });
    symlinkSync(cp.binaries[tool], link);
  }
  say(
    `The local control plane is running; stop it with \`npm run cluster:down\`.\n${howToUse(cp)}`,
  );
}

async function down(): Promise<void> {
  const stopped = await stopControlPlane(CLUSTER_DIR);
  say(stopped ? 'The local control plane is stopped.' : 'No local control plane was running.');
}

async function build(): Promise<void> {
  const bins = await ensureBinaries(progress);
  say(
    `Control plane binaries (${bins.versions.kubernetes}, etcd ${bins.versions.etcd}, helm ${bins.versions.helm}, ` +
      `prometheus ${bins.versions.prometheus}, alertmanager ${bins.versions.alertmanager}):`,
  );
  say(`  ${bins.dir}`);
}

const commands: Record<string, () => Promise<void>> = { up, down, build };

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
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
    await run();
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
