import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../controlplane.js';
import { ControlPlaneError } from '../errors.js';
import { renderKubeconfig } from '../kubeconfig.js';
import { runKubectl } from '../kubectl.js';
import { startProcess, tail, type Started } from '../processes.js';
import { issueCertificate, loadCertificateAuthority } from '../../webhooks/tls/pki.js';
import { NODE_NETWORK } from './addresses.js';
import { ensureNodeBinaries, type NodeBinaries, type NodeProgram } from './build.js';
import { createNodeCgroups } from './cgroups.js';
import { FIREWALL_FORWARD_CHAIN, FIREWALL_USER, firewallRbac, kubeRouterArgs } from './firewall.js';
import {
  containerdConfig,
  cniConfig,
  kubeletConfig,
  kubeProxyConfig,
  type NodePaths,
} from './configs.js';
import { snapshotHost } from './host.js';
import { importIntoRuntime, writePauseImage } from './images.js';
import { createNodeNetwork } from './network.js';
import { checkNodeCanStart } from './preflight.js';
import { inNetns, tryRun } from './run.js';
import { nodeDir, writeNodeState, type NodeState } from './state.js';
import { stopNode } from './teardown.js';

const NODE_READY_TIMEOUT_MS = 180_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function nodePaths(clusterDir: string, bins: NodeBinaries): NodePaths {
  const root = nodeDir(clusterDir);
  return {
    root,
    binDir: bins.dir,
    caCert: join(clusterDir, 'pki', 'ca.crt'),
    containerdRoot: join(root, 'containerd', 'root'),
    containerdState: join(root, 'containerd', 'state'),
    containerdSocket: join(root, 'containerd', 'containerd.sock'),
    cniConfDir: join(root, 'cni', 'net.d'),
    cniDataDir: join(root, 'cni', 'ipam'),
    kubeletRoot: join(root, 'kubelet'),
    podLogs: join(root, 'pods'),
    kubeletCert: join(root, 'pki', 'kubelet.crt'),
    kubeletKey: join(root, 'pki', 'kubelet.key'),
  };
}

async function until(
  what: string,
  probe: () => boolean,
  watched: readonly Started[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let crashed: Started | undefined;
  for (const p of watched) void p.exited.then(() => (crashed ??= p));
  for (;;) {
    if (crashed) {
      throw new ControlPlaneError(
        'OOS_ERR_NODE_START',
        `${crashed.name} exited while the node started. Its log (${crashed.log}) ends with:\n` +
          tail(crashed.log, 15),
      );
    }
    if (probe()) return;
    if (Date.now() > deadline) {
      throw new ControlPlaneError(
        'OOS_ERR_NODE_START',
        `${what} after ${timeoutMs / 1000} s. The logs end with:\n` +
          watched.map((p) => `[${p.name}] ${tail(p.log, 4)}`).join('\n'),
      );
    }
    await sleep(500);
  }
}

/** The kubeconfig of one node component, with a client certificate for `user` in `groups`. */
async function componentKubeconfig(
  cp: ControlPlane,
  file: string,
  user: string,
  groups: readonly string[] = [],
): Promise<void> {
  const pki = join(cp.dir, 'pki');
  const ca = await loadCertificateAuthority(
    readFileSync(join(pki, 'ca.crt'), 'utf8'),
    readFileSync(join(pki, 'ca.key'), 'utf8'),
  );
  const client = await issueCertificate(ca, {
    commonName: user,
    organizations: groups,
    usage: 'client',
  });
  writeFileSync(
    file,
    renderKubeconfig({
      server: cp.server,
      caCert: ca.cert,
      clientCert: client.cert,
      clientKey: client.key,
    }),
    { mode: 0o600 },
  );
}

export interface NodeCluster {
  readonly controlPlane: ControlPlane;
  readonly node: NodeState;
}

/**
 * `cluster:up -- --node`: the node's network first (the apiserver binds the host's veth end), the
 * control plane on it, then containerd, the kubelet, kube-proxy and kube-scheduler; returns once
 * the Node is Ready. On any failure, everything made so far is undone.
 */
export async function startClusterWithNode(
  clusterDir: string,
  log: (line: string) => void,
): Promise<NodeCluster> {
  checkNodeCanStart();
  const bins = await ensureNodeBinaries(log);
  const started = Date.now();
  const paths = nodePaths(clusterDir, bins);
  const processes: Started[] = [];
  const state = (): NodeState => ({
    dir: paths.root,
    binDir: bins.dir,
    containerdSocket: paths.containerdSocket,
    host,
    processes: processes.map(({ name, pid, bin, log: l }) => ({ name, pid, bin, log: l })),
  });
  const host = snapshotHost();
  for (const dir of ['pki', 'logs', 'cni/net.d', 'cni/ipam', 'kubelet', 'pods', 'containerd']) {
    mkdirSync(join(paths.root, dir), { recursive: true });
  }
  writeNodeState(clusterDir, state());
  let controlPlane: ControlPlane | undefined;
  try {
    createNodeNetwork();
    createNodeCgroups();
    controlPlane = await startControlPlane({
      dir: clusterDir,
      persistent: true,
      log,
      nodeNetwork: {
        address: NODE_NETWORK.hostAddress,
        serviceCidr: NODE_NETWORK.serviceCidr,
        kubernetesServiceIp: NODE_NETWORK.kubernetesServiceIp,
      },
    });
    const cp = controlPlane;
    const file = (name: string): string => join(paths.root, name);
    const logFile = (name: string): string => join(paths.root, 'logs', `${name}.log`);
    const launch = (name: NodeProgram, args: readonly string[], netns = true): Started => {
      const p = startProcess(name, bins.path(name), args, logFile(name), {
        ...(netns ? { netns: NODE_NETWORK.netns } : {}),
        env: {
          ...process.env,
          PATH: `${bins.dir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
        },
      });
      processes.push(p);
      writeNodeState(clusterDir, state());
      return p;
    };

    // The runtime, with the sandbox image imported (there is no registry to pull it from).
    writeFileSync(file('containerd.toml'), containerdConfig(paths));
    writeFileSync(join(paths.cniConfDir, '10-oos-node.conflist'), cniConfig(paths));
    const containerd = launch('containerd', [
      '--config',
      file('containerd.toml'),
      '--log-level',
      'warn',
    ]);
    const ctr = (...args: string[]): boolean =>
      tryRun(bins.path('ctr'), ['--address', paths.containerdSocket, ...args], 10_000).ok;
    await until(
      'containerd did not answer',
      () => existsSync(paths.containerdSocket) && ctr('version'),
      [containerd],
      60_000,
    );
    writePauseImage(bins, file('pause.tar'));
    importIntoRuntime(bins.path('ctr'), paths.containerdSocket, file('pause.tar'));

    // Credentials: one identity per component, the kubelet's serving certificate for the node IP.
    const pki = join(cp.dir, 'pki');
    const ca = await loadCertificateAuthority(
      readFileSync(join(pki, 'ca.crt'), 'utf8'),
      readFileSync(join(pki, 'ca.key'), 'utf8'),
    );
    const serving = await issueCertificate(ca, {
      commonName: `system:node:${NODE_NETWORK.nodeName}`,
      organizations: ['system:nodes'],
      usage: 'server',
      dnsNames: [NODE_NETWORK.nodeName],
      ipAddresses: [NODE_NETWORK.nodeAddress],
    });
    writeFileSync(paths.kubeletCert, serving.cert);
    writeFileSync(paths.kubeletKey, serving.key, { mode: 0o600 });
    await componentKubeconfig(
      cp,
      file('kubelet.kubeconfig'),
      `system:node:${NODE_NETWORK.nodeName}`,
      ['system:nodes'],
    );
    await componentKubeconfig(cp, file('kube-proxy.kubeconfig'), 'system:kube-proxy');
    await componentKubeconfig(cp, file('kube-scheduler.kubeconfig'), 'system:kube-scheduler');
    await componentKubeconfig(cp, file('firewall.kubeconfig'), FIREWALL_USER);
    const rbac = await runKubectl(cp.binaries.kubectl, cp.kubeconfig, ['apply', '-f', '-'], {
      stdin: firewallRbac(),
    });
    if (rbac.code !== 0) {
      throw new ControlPlaneError(
        'OOS_ERR_NODE_START',
        `could not grant the node's firewall its read access: ${rbac.stderr}`,
      );
    }

    writeFileSync(file('kubelet.json'), kubeletConfig(paths));
    const kubelet = launch('kubelet', [
      `--config=${file('kubelet.json')}`,
      `--kubeconfig=${file('kubelet.kubeconfig')}`,
      `--root-dir=${paths.kubeletRoot}`,
      `--cert-dir=${join(paths.root, 'pki')}`,
      `--hostname-override=${NODE_NETWORK.nodeName}`,
      `--node-ip=${NODE_NETWORK.nodeAddress}`,
      '--v=1',
    ]);
    writeFileSync(file('kube-proxy.json'), kubeProxyConfig(file('kube-proxy.kubeconfig')));
    const proxy = launch('kube-proxy', [`--config=${file('kube-proxy.json')}`, '--v=1']);
    const scheduler = launch(
      'kube-scheduler',
      [
        `--kubeconfig=${file('kube-scheduler.kubeconfig')}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        '--v=1',
      ],
      false,
    );

    const kubectl = (...args: string[]): string => {
      const r = spawnSync(cp.binaries.kubectl, ['--kubeconfig', cp.kubeconfig, ...args], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      return r.status === 0 ? r.stdout.trim() : '';
    };
    await until(
      `Node ${NODE_NETWORK.nodeName} was not Ready`,
      () =>
        kubectl(
          'get',
          'node',
          NODE_NETWORK.nodeName,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ) === 'True',
      [containerd, kubelet, proxy, scheduler],
      NODE_READY_TIMEOUT_MS,
    );
    // NetworkPolicies: kube-router's firewall alone, in the node's namespace (docs/node.md). It
    // starts once the Node exists (it reads its addresses) and before cluster:up returns, so
    // no Pod is judged before its chains hook the namespace's filter table.
    const firewallStarted = Date.now();
    const firewall = launch('kube-router', kubeRouterArgs(file('firewall.kubeconfig')));
    await until(
      `kube-router did not program its ${FIREWALL_FORWARD_CHAIN} chain`,
      () =>
        inNetns(NODE_NETWORK.netns, 'iptables', ['-S', 'FORWARD']).output.includes(
          `-j ${FIREWALL_FORWARD_CHAIN}`,
        ),
      [containerd, kubelet, proxy, firewall, scheduler],
      NODE_READY_TIMEOUT_MS,
    );
    log(
      `oos: NetworkPolicy firewall (kube-router ${bins.versions.kubeRouter}) on in ${((Date.now() - firewallStarted) / 1000).toFixed(1)} s`,
    );
    log(
      `oos: node ${NODE_NETWORK.nodeName} Ready at ${NODE_NETWORK.nodeAddress} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { controlPlane: cp, node: state() };
  } catch (error) {
    // The control plane's stop() takes its node down after the apiserver.
    if (controlPlane) await controlPlane.stop();
    else await stopNode(clusterDir);
    throw error;
  }
}
