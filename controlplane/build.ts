import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneError } from './errors.js';
import {
  ALERTMANAGER_MODULE_DIR,
  ALERTMANAGER_UI_PAGE,
  HELM_MODULE_DIR,
  MODULE_DIR,
  PROMTOOL_MODULE_DIR,
  pinnedVersions,
  type PinnedVersions,
} from './versions.js';

/** Where the built binaries of one pinned set of versions live. */
export interface Binaries {
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
  readonly helm: string;
  readonly promtool: string;
  readonly alertmanager: string;
  readonly versions: PinnedVersions;
}

const CONTROL_PLANE_PACKAGES = {
  etcd: 'go.etcd.io/etcd/server/v3',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  kubectl: 'k8s.io/kubernetes/cmd/kubectl',
} as const;

/** `${XDG_CACHE_HOME:-~/.cache}/oos`, outside the repository so clean clones stay fast. */
export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'oos');
}

export function binariesFor(versions: PinnedVersions = pinnedVersions()): Binaries {
  const dir = join(
    cacheRoot(),
    'controlplane',
    `k8s-${versions.kubernetes}_etcd-${versions.etcd}_helm-${versions.helm}_${versions.fingerprint}`,
  );
  return Object.freeze({
    dir,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubectl: join(dir, 'kubectl'),
    helm: join(dir, 'helm'),
    promtool: join(dir, 'promtool'),
    alertmanager: join(dir, 'alertmanager'),
    versions,
  });
}

function isComplete(bins: Binaries): boolean {
  return (
    existsSync(join(bins.dir, 'COMPLETE')) &&
    [
      bins.etcd,
      bins.kubeApiserver,
      bins.kubeControllerManager,
      bins.kubectl,
      bins.helm,
      bins.promtool,
      bins.alertmanager,
    ].every((f) => existsSync(f))
  );
}

export function requireGo(): string {
  const probe = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_GO_MISSING',
      'Go is required to build the local Kubernetes control plane (etcd, kube-apiserver, ' +
        "kube-controller-manager, kubectl, helm) and the tests' promtool and Alertmanager from " +
        'source. Install Go 1.26.7 or newer (the Prometheus modules need it), make sure ' +
        '`go` is on your PATH, and run the command again.',
    );
  }
  return probe.stdout.trim();
}

/** Kubernetes reports v0.0.0 unless its version is stamped in at link time. */
export function kubernetesLdflags(version: string): string {
  const [major = '1', minor = '0'] = version.replace(/^v/, '').split('.');
  const pkg = 'k8s.io/component-base/version';
  return [
    '-s',
    '-w',
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(' ');
}

/** Helm's lint and chartutil defaults follow the Kubernetes libraries it was built with. */
function helmLdflags(version: string): string {
  const goMod = readFileSync(join(HELM_MODULE_DIR, 'go.mod'), 'utf8');
  const clientGo = /k8s\.io\/client-go\s+v0\.(\d+)\./.exec(goMod)?.[1] ?? '34';
  return [
    '-s',
    '-w',
    `-X helm.sh/helm/v3/internal/version.version=${version}`,
    '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
    '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1',
    `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${clientGo}`,
    '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1',
    `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${clientGo}`,
  ].join(' ');
}

/** How a module's programs are built: static (no cgo) unless asked, with optional build tags. */
export interface GoBuildOptions {
  readonly cgo?: boolean;
  readonly tags?: readonly string[];
  /** More `go build` flags (e.g. `-modfile`). */
  readonly flags?: readonly string[];
  /** The command a failure says to run again (`npm run controlplane:build` by default). */
  readonly rerun?: string;
}

export function goBuild(
  cwd: string,
  outDir: string,
  ldflags: string,
  packages: readonly string[],
  log: (line: string) => void,
  options: GoBuildOptions = {},
): Promise<void> {
  const tags = options.tags?.length ? ['-tags', options.tags.join(',')] : [];
  return new Promise((resolve, reject) => {
    const args = [
      'build',
      ...(options.flags ?? []),
      '-o',
      `${outDir}/`,
      ...tags,
      '-ldflags',
      ldflags,
      ...packages,
    ];
    const child = spawn('go', args, {
      cwd,
      // GOTOOLCHAIN=local: an older Go says so instead of downloading a newer toolchain.
      env: {
        ...process.env,
        CGO_ENABLED: options.cgo ? '1' : '0',
        GOFLAGS: '-mod=readonly -buildvcs=false',
        GOTOOLCHAIN: 'local',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
        return;
      }
      reject(
        new ControlPlaneError(
          'OOS_ERR_CONTROLPLANE_BUILD',
          `Building ${packages.join(', ')} failed (go build exited ${code ?? 'on a signal'}).\n` +
            `${output.trim().split('\n').slice(-15).join('\n')}\n` +
            'Check that the Go module proxy is reachable (GOPROXY) and that there is free disk space, ' +
            `then run \`${options.rerun ?? 'npm run controlplane:build'}\` again. The module is in ${cwd}.`,
        ),
      );
    });
  });
}

/** The Prometheus tools the tests run, each from its own module under monitoring/, by binary name. */
const MONITORING_PACKAGES = {
  promtool: {
    dir: PROMTOOL_MODULE_DIR,
    module: 'github.com/prometheus/prometheus',
    pkg: 'github.com/prometheus/prometheus/cmd/promtool',
  },
  alertmanager: {
    dir: ALERTMANAGER_MODULE_DIR,
    module: 'github.com/prometheus/alertmanager',
    pkg: 'github.com/prometheus/alertmanager/cmd/alertmanager',
  },
} as const;

/** `-X` of the version both print; Prometheus tags its module v0.316.0 for its release 3.16.0. */
function prometheusLdflags(version: string): string {
  const split = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(version);
  const release = split
    ? `${split[1] ?? ''}.${String(Number(split[2]))}.${split[3] ?? ''}`
    : version.replace(/^v/, '');
  return `-s -w -X github.com/prometheus/common/version.Version=${release}`;
}

/** Where Go keeps the source of a module that `dir` requires (fetched through the proxy if need be). */
function moduleSource(dir: string, module: string): string {
  const probe = spawnSync('go', ['mod', 'download', '-json', module], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const source =
    probe.status === 0 ? (JSON.parse(probe.stdout) as { Dir?: string }).Dir : undefined;
  if (source === undefined) {
    throw new ControlPlaneError(
      'OOS_ERR_CONTROLPLANE_BUILD',
      `\`go mod download ${module}\` failed in ${dir}: ${probe.stderr.trim()}\n` +
        'Check that the Go module proxy is reachable (GOPROXY), then run `npm run controlplane:build` again.',
    );
  }
  return source;
}

/**
 * A go.mod in `work` that builds Alertmanager from a copy of its module with a one-page web UI
 * (monitoring/alertmanager/ui.html): the module holds the UI's sources but not the built assets
 * its `ui` package embeds (npm makes them for its releases). Its API, all oos uses, is the release's.
 */
function alertmanagerWithPage(work: string): string {
  const { dir, module } = MONITORING_PACKAGES.alertmanager;
  const copy = join(work, 'alertmanager');
  cpSync(moduleSource(dir, module), copy, { recursive: true });
  // The module cache is read-only, and so is the copy: its folders become writable (and removable).
  chmodSync(copy, 0o755);
  for (const entry of readdirSync(copy, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) chmodSync(join(entry.parentPath, entry.name), 0o755);
  }
  for (const root of ['elm', 'mantine']) {
    mkdirSync(join(copy, 'ui', 'app', 'dist', root), { recursive: true });
    copyFileSync(ALERTMANAGER_UI_PAGE, join(copy, 'ui', 'app', 'dist', root, 'index.html'));
  }
  const goMod = readFileSync(join(dir, 'go.mod'), 'utf8');
  writeFileSync(join(work, 'go.mod'), `${goMod}\nreplace ${module} => ${copy}\n`);
  copyFileSync(join(dir, 'go.sum'), join(work, 'go.sum'));
  return join(work, 'go.mod');
}

/** Builds promtool and Alertmanager into `staging`. */
async function buildMonitoring(
  staging: string,
  versions: PinnedVersions,
  log: (line: string) => void,
): Promise<void> {
  const { promtool, alertmanager } = MONITORING_PACKAGES;
  await goBuild(promtool.dir, staging, prometheusLdflags(versions.prometheus), [promtool.pkg], log);
  const work = join(staging, '.alertmanager');
  const goMod = alertmanagerWithPage(work);
  await goBuild(
    alertmanager.dir,
    staging,
    prometheusLdflags(versions.alertmanager),
    [alertmanager.pkg],
    log,
    { flags: ['-modfile', goMod] },
  );
  rmSync(work, { recursive: true, force: true });
}

/**
 * Returns the control plane binaries, building them from source through the Go module proxy the
 * first time (the Go build cache makes later builds of other versions faster too).
 */
export async function ensureBinaries(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<Binaries> {
  const bins = binariesFor();
  if (isComplete(bins)) return bins;

  const goVersion = requireGo();
  const staging = `${bins.dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(
    `oos: building Kubernetes ${bins.versions.kubernetes}, etcd ${bins.versions.etcd}, Helm ` +
      `${bins.versions.helm}, Prometheus ${bins.versions.prometheus} (promtool) and Alertmanager ` +
      `${bins.versions.alertmanager} from source with ${goVersion} (the first build takes a while; ` +
      `later runs reuse ${bins.dir})`,
  );
  try {
    await goBuild(
      MODULE_DIR,
      staging,
      kubernetesLdflags(bins.versions.kubernetes),
      Object.values(CONTROL_PLANE_PACKAGES),
      log,
    );
    // `go build -o dir/` names etcd's main package (go.etcd.io/etcd/server/v3) either `etcd` or,
    // on Go versions that drop only the major-version suffix, `server`.
    if (existsSync(join(staging, 'server')))
      renameSync(join(staging, 'server'), join(staging, 'etcd'));
    await goBuild(
      HELM_MODULE_DIR,
      staging,
      helmLdflags(bins.versions.helm),
      ['helm.sh/helm/v3/cmd/helm'],
      log,
    );
    await buildMonitoring(staging, bins.versions, log);
    writeFileSync(
      join(staging, 'COMPLETE'),
      `${JSON.stringify({ ...bins.versions, go: goVersion }, null, 2)}\n`,
    );
    rmSync(bins.dir, { recursive: true, force: true });
    renameSync(staging, bins.dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`oos: control plane binaries ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return bins;
}
