import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../tools.js';
import { ControlPlaneError } from '../errors.js';
import { runKubectl } from '../kubectl.js';
import { buildImage } from '../image/build.js';
import { runHelm } from '../helm-run.js';
import { MODULE_DIR } from '../versions.js';
import { importImage, nodeHasImage, requireRunningNode } from './images.js';

/** oos as `installOos` installed it on the local node. */
export interface OosRelease {
  /** The namespace of the release (the operator's own). */
  namespace: string;
  /** The Helm release name. */
  release: string;
  /** The prefix of the chart's object names (the Deployment, `<fullname>-webhook`, …). */
  fullname: string;
  /** The image the Pods run, `oos.local/oos:<content key>`. */
  image: string;
}

export const OOS_NAMESPACE = 'oos-system';
export const OOS_RELEASE_NAME = 'oos';
export const OOS_CHART = resolve(MODULE_DIR, '..', 'charts', 'oos');

/** How long `helm --wait` waits for every replica Ready (the image is local: no pull). */
export const INSTALL_TIMEOUT = '5m';

/**
 * The values the local node needs beyond the chart's defaults, each with why (docs/node.md
 * "oos on the node" lists them). The image's own values are added by {@link installOos}.
 */
export const NODE_VALUES: readonly { readonly set: string; readonly why: string }[] = [
  {
    set: 'image.pullPolicy=Never',
    why: 'the image is imported into the node runtime; there is no registry to pull from',
  },
];

/** `<repository>:<tag>` split at the tag's colon (a registry host may carry a port). */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  if (at <= image.lastIndexOf('/')) return { repository: image, tag: '' };
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/** The name of the release's Deployment in helm's manifest: the chart's fullname. */
export function fullnameFromManifest(manifest: string): string | undefined {
  for (const document of parseAllDocuments(manifest)) {
    const object = document.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (object?.kind === 'Deployment' && typeof object.metadata?.name === 'string') {
      return object.metadata.name;
    }
  }
  return undefined;
}

/** What the operator's Pods say about themselves, for an install that did not get Ready. */
async function podsReport(kubectl: string, kubeconfig: string, namespace: string): Promise<string> {
  const pods = await runKubectl(kubectl, kubeconfig, [
    'get',
    'pods',
    '-n',
    namespace,
    '-o',
    'wide',
  ]);
  const events = await runKubectl(kubectl, kubeconfig, [
    'get',
    'events',
    '-n',
    namespace,
    '--sort-by=.lastTimestamp',
  ]);
  const lastEvents = events.stdout.trim().split('\n').slice(-12).join('\n');
  return `Pods:\n${pods.stdout.trim() || pods.stderr.trim()}\nEvents:\n${lastEvents}`;
}

/**
 * Installs (or upgrades) oos with the chart on the running local node of `clusterDir`, as a user
 * installs it: the image the repository's Dockerfile builds (`npm run image`, cached by content)
 * is imported into the node's runtime, then `helm upgrade --install` runs the chart with that
 * image and {@link NODE_VALUES} (then `set`, which win) and waits until every replica is Ready.
 */
export async function installOos(options: {
  clusterDir: string;
  kubeconfig: string;
  helm: string;
  log: (line: string) => void;
  set?: readonly string[];
  /** Default: the release `oos` in `oos-system`. */
  namespace?: string;
  release?: string;
  /** For the report of an install that failed; default: the control plane's kubectl. */
  kubectl?: string;
  /** helm's `--timeout` for every replica to be Ready; default {@link INSTALL_TIMEOUT}. */
  timeout?: string;
}): Promise<OosRelease> {
  const { clusterDir, kubeconfig, helm, log } = options;
  const namespace = options.namespace ?? OOS_NAMESPACE;
  const release = options.release ?? OOS_RELEASE_NAME;
  // Before the image build, which can take minutes: there must be a node to import it into.
  requireRunningNode(clusterDir, 'install again');
  const built = await buildImage(log);
  log(`oos image ${built.tag} (${built.cached ? 'cached' : `built in ${built.seconds} s`})`);
  const started = Date.now();
  // The tag is the content key: the same tag in the runtime is the same image.
  if (nodeHasImage(clusterDir, built.tag)) {
    log("already in the node's runtime");
  } else {
    importImage(clusterDir, built.archive);
    log(`imported into the node's runtime in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const { repository, tag } = splitImage(built.tag);
  const values = [
    `image.repository=${repository}`,
    `image.tag=${tag}`,
    ...NODE_VALUES.map((v) => v.set),
    ...(options.set ?? []),
  ];
  const timeout = options.timeout ?? INSTALL_TIMEOUT;
  log(`helm upgrade --install ${release} ${OOS_CHART} -n ${namespace} (waits ${timeout})`);
  const install = await runHelm(
    helm,
    [
      'upgrade',
      '--install',
      release,
      OOS_CHART,
      '--namespace',
      namespace,
      '--create-namespace',
      ...values.flatMap((v) => ['--set', v]),
      '--wait',
      '--timeout',
      timeout,
    ],
    // helm's own --timeout (given or default) ends the wait: no second timer here (0).
    { kubeconfig, timeoutMs: 0 },
  );
  if (install.code !== 0) {
    const report = await podsReport(options.kubectl ?? toolPath('kubectl'), kubeconfig, namespace);
    throw new ControlPlaneError(
      'OOS_ERR_INSTALL',
      `helm could not install oos into ${namespace} (exit ${install.code}):\n${install.stderr}${install.stdout}\n${report}\n` +
        `Read the Pods' events and logs (\`kubectl -n ${namespace} describe pods\`, ` +
        `\`kubectl -n ${namespace} logs deploy/${release}\`), fix the cause and install again.`,
    );
  }
  log(`oos is installed and Ready in ${Math.round((Date.now() - started) / 1000)} s`);
  const manifest = await runHelm(helm, ['get', 'manifest', release, '--namespace', namespace], {
    kubeconfig,
    timeoutMs: 60_000,
  });
  const fullname = manifest.code === 0 ? fullnameFromManifest(manifest.stdout) : undefined;
  if (fullname === undefined) {
    throw new ControlPlaneError(
      'OOS_ERR_INSTALL',
      `helm installed ${release} but its manifest names no Deployment:\n${manifest.stderr}${manifest.stdout}`,
    );
  }
  return { namespace, release, fullname, image: built.tag };
}

/**
 * Removes what {@link installOos} installed: the release (webhook configurations, fallback
 * policy, Deployment, RBAC) and then its namespace (the serving certificate's Secret and the
 * leader Lease the operator made). The CRDs and the governance objects stay, as with
 * `helm uninstall` (Helm never deletes a chart's CRDs).
 */
export async function uninstallOos(options: {
  kubeconfig: string;
  helm: string;
  release?: OosRelease;
  kubectl?: string;
}): Promise<void> {
  const namespace = options.release?.namespace ?? OOS_NAMESPACE;
  const release = options.release?.release ?? OOS_RELEASE_NAME;
  const result = await runHelm(
    options.helm,
    [
      'uninstall',
      release,
      '--namespace',
      namespace,
      '--wait',
      '--timeout',
      '2m',
      '--ignore-not-found',
    ],
    { kubeconfig: options.kubeconfig, timeoutMs: 180_000 },
  );
  if (result.code !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_INSTALL',
      `helm could not uninstall ${release} from ${namespace} (exit ${result.code}):\n${result.stderr}${result.stdout}`,
    );
  }
  const deleted = await runKubectl(options.kubectl ?? toolPath('kubectl'), options.kubeconfig, [
    'delete',
    'namespace',
    namespace,
    '--ignore-not-found',
    '--timeout=120s',
  ]);
  if (deleted.code !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_INSTALL',
      `The namespace ${namespace} could not be deleted: ${deleted.stderr.trim()}`,
    );
  }
}
