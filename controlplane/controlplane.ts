import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ensureBinaries, type Binaries } from './build.js';
import { ControlPlaneError } from './errors.js';
import { httpsStatus, type TlsClient } from './health.js';
import { renderKubeconfig } from './kubeconfig.js';
import {
  createCertificateAuthority,
  createServiceAccountKeys,
  issueCertificate,
} from '../webhooks/tls/pki.js';
import { freePorts } from './ports.js';
import { mountsUnder } from './node/host.js';
import { stopNode, stopNodeAgents, type NodeTeardown } from './node/teardown.js';
import {
  isRunning,
  startProcess,
  stopProcess,
  tail,
  type ManagedProcess,
  type Started,
} from './processes.js';

export interface ControlPlaneOptions {
  /** Where data, certificates, logs and the kubeconfig go; default: a fresh temporary directory. */
  readonly dir?: string;
  /**
   * false (default): the control plane belongs to this process; a reaper stops it and removes the
   * directory if this process ends without calling stop(). true: it outlives this process
   * (`npm run cluster:up`) and is stopped with {@link stopControlPlane}.
   */
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
  /**
   * Serve a worker node (`cluster:up -- --node`): the apiserver binds and advertises this host
   * address instead of 127.0.0.1, uses this Service range, authorizes kubelets (Node, RBAC,
   * NodeRestriction) and reaches them by their InternalIP with a client certificate.
   */
  readonly nodeNetwork?: NodeNetworkOptions;
}

export interface NodeNetworkOptions {
  /** An address of the host (the host's end of the node's veth pair). */
  readonly address: string;
  readonly serviceCidr: string;
  /** The first address of the Service range: the `kubernetes` Service, in the serving certificate. */
  readonly kubernetesServiceIp: string;
}

/** What is written to `<dir>/state.json`. */
export interface ControlPlaneState {
  readonly dir: string;
  readonly server: string;
  readonly kubeconfig: string;
  readonly persistent: boolean;
  readonly processes: readonly ManagedProcess[];
  readonly binDir: string;
  readonly startedAt: string;
}

export interface ControlPlane extends ControlPlaneState {
  readonly binaries: Binaries;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const STATE_FILE = 'state.json';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  watched: readonly Started[],
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let crashed: Started | undefined;
  for (const p of watched) void p.exited.then(() => (crashed ??= p));
  for (;;) {
    if (crashed) throw startFailure(crashed);
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new ControlPlaneError(
        'OOS_ERR_CONTROLPLANE_TIMEOUT',
        `${what} was not ready after ${timeoutMs / 1000} s. Its log ends with:\n` +
          `${watched.map((p) => `[${p.name}] ${tail(p.log, 5)}`).join('\n')}\n` +
          'Check that the machine is not out of memory or disk, then try again.',
      );
    }
    await sleep(200);
  }
}

function startFailure(process_: Started): ControlPlaneError {
  const log = tail(process_.log, 15);
  const clash = /address already in use|bind: address/i.exec(log);
  if (clash) {
    return new ControlPlaneError(
      'OOS_ERR_PORT_IN_USE',
      `${process_.name} could not listen: a loopback port it was given was taken in the meantime ` +
        `(${clash[0]}). Run the command again (ports are chosen at random), or stop whatever holds ` +
        `the port (\`ss -ltnp\` shows it). Log: ${process_.log}\n${log}`,
    );
  }
  return new ControlPlaneError(
    'OOS_ERR_CONTROLPLANE_START',
    `${process_.name} exited during start-up. Its log (${process_.log}) ends with:\n${log}`,
  );
}

function writePrivate(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
}

/**
 * Starts etcd, kube-apiserver (RBAC, client-certificate admin, ServiceAccount tokens) and
 * kube-controller-manager on loopback with random ports, and returns once the apiserver is ready
 * and the controller manager has created the `default` ServiceAccount.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? ((): void => undefined);
  const persistent = options.persistent ?? false;
  const binaries = await ensureBinaries(log);
  const started = Date.now();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'oos-controlplane-'));
  for (const sub of ['pki', 'logs', 'etcd']) mkdirSync(join(dir, sub), { recursive: true });
  const pki = (name: string): string => join(dir, 'pki', name);
  const logFile = (name: string): string => join(dir, 'logs', `${name}.log`);

  const [etcdClient, etcdPeer, apiserverPort, kcmPort] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const { nodeNetwork } = options;
  const host = nodeNetwork?.address ?? '127.0.0.1';
  const server = `https://${host}:${apiserverPort}`;

  const ca = await createCertificateAuthority('oos-local-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    usage: 'server',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: nodeNetwork
      ? ['127.0.0.1', nodeNetwork.address, nodeNetwork.kubernetesServiceIp]
      : ['127.0.0.1'],
  });
  const admin = await issueCertificate(ca, {
    commonName: 'oos-admin',
    organizations: ['system:masters'],
    usage: 'client',
  });
  // How the apiserver proves itself to kubelets (logs, exec); only a node has any.
  const kubeletClient = nodeNetwork
    ? await issueCertificate(ca, {
        commonName: 'kube-apiserver-kubelet-client',
        organizations: ['system:masters'],
        usage: 'client',
      })
    : undefined;
  const sa = createServiceAccountKeys();
  writeFileSync(pki('ca.crt'), ca.cert);
  writePrivate(pki('ca.key'), ca.key);
  writeFileSync(pki('apiserver.crt'), serving.cert);
  writePrivate(pki('apiserver.key'), serving.key);
  if (kubeletClient) {
    writeFileSync(pki('apiserver-kubelet-client.crt'), kubeletClient.cert);
    writePrivate(pki('apiserver-kubelet-client.key'), kubeletClient.key);
  }
  writePrivate(pki('sa.key'), sa.privateKey);
  writeFileSync(pki('sa.pub'), sa.publicKey);
  const kubeconfig = join(dir, 'kubeconfig');
  writePrivate(
    kubeconfig,
    renderKubeconfig({ server, caCert: ca.cert, clientCert: admin.cert, clientKey: admin.key }),
  );
  const adminTls: TlsClient = { ca: ca.cert, cert: admin.cert, key: admin.key };

  const processes: Started[] = [];
  const state = (): ControlPlaneState => ({
    dir,
    server,
    kubeconfig,
    persistent,
    processes: processes.map(({ name, pid, bin, log: l, args }) => ({
      name,
      pid,
      bin,
      log: l,
      ...(args === undefined ? {} : { args }),
    })),
    binDir: binaries.dir,
    startedAt: new Date(started).toISOString(),
  });
  // Written after every start, so the reaper and `cluster:down` always know every pid.
  const recordProcesses = (): void => {
    writeState(state());
  };
  const stopAll = async (): Promise<void> => {
    // What state.json records, not only what this function started: a process restarted in
    // place (controlplane/disruptions.ts) is recorded there with its new pid.
    const recorded = readState(dir)?.processes ?? [];
    for (const p of [...processes, ...recorded].reverse()) await stopProcess(p);
  };

  try {
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    processes.push(
      startProcess(
        'etcd',
        binaries.etcd,
        [
          '--name=default',
          `--data-dir=${join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=default=${peerUrl}`,
          '--unsafe-no-fsync=true',
          '--log-level=warn',
        ],
        logFile('etcd'),
      ),
    );
    recordProcesses();
    if (!persistent) startReaper(dir);

    processes.push(
      startProcess(
        'kube-apiserver',
        binaries.kubeApiserver,
        [
          `--etcd-servers=${etcdUrl}`,
          `--bind-address=${host}`,
          `--advertise-address=${host}`,
          `--secure-port=${apiserverPort}`,
          `--cert-dir=${join(dir, 'pki', 'apiserver')}`,
          `--tls-cert-file=${pki('apiserver.crt')}`,
          `--tls-private-key-file=${pki('apiserver.key')}`,
          `--client-ca-file=${pki('ca.crt')}`,
          ...(nodeNetwork
            ? [
                '--authorization-mode=Node,RBAC',
                '--enable-admission-plugins=NodeRestriction',
                '--kubelet-preferred-address-types=InternalIP',
                `--kubelet-certificate-authority=${pki('ca.crt')}`,
                `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
                `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
              ]
            : ['--authorization-mode=RBAC']),
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          `--service-account-key-file=${pki('sa.pub')}`,
          `--service-account-signing-key-file=${pki('sa.key')}`,
          `--service-cluster-ip-range=${nodeNetwork?.serviceCidr ?? '10.0.0.0/24'}`,
          // Webhooks and aggregated APIs behind a Service are reached through the Service's
          // endpoints, never its ClusterIP: with no nodes there are no endpoints, so such a call
          // fails at once with "no endpoints available" instead of leaving the machine.
          '--enable-aggregator-routing=true',
          '--allow-privileged=true',
          '--profiling=false',
          '--v=1',
        ],
        logFile('kube-apiserver'),
      ),
    );
    recordProcesses();
    await waitUntil(
      'kube-apiserver',
      async () => (await httpsStatus(`${server}/readyz`, adminTls)) === 200,
      processes,
    );

    processes.push(
      startProcess(
        'kube-controller-manager',
        binaries.kubeControllerManager,
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          `--cert-dir=${join(dir, 'pki', 'kube-controller-manager')}`,
          '--leader-elect=false',
          `--service-account-private-key-file=${pki('sa.key')}`,
          `--root-ca-file=${pki('ca.crt')}`,
          '--use-service-account-credentials=true',
          '--v=1',
        ],
        logFile('kube-controller-manager'),
      ),
    );
    recordProcesses();
    await waitUntil(
      'kube-controller-manager',
      async () =>
        (await httpsStatus(`https://127.0.0.1:${kcmPort}/healthz`, {})) === 200 &&
        (await httpsStatus(
          `${server}/api/v1/namespaces/default/serviceaccounts/default`,
          adminTls,
        )) === 200,
      processes,
    );
  } catch (error) {
    await stopAll();
    if (!persistent) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  log(`oos: control plane ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    ...state(),
    binaries,
    stop: async () => {
      await stopNodeAgents(dir);
      await stopAll();
      await stopNode(dir);
      removeDir(dir);
    },
  };
}

/** Starts the watchdog that cleans up if this process dies without stopping the control plane. */
function startReaper(dir: string): void {
  const script = new URL('./reaper.mjs', import.meta.url).pathname;
  spawn(process.execPath, [script, String(process.pid), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

/** Reads `<dir>/state.json`, or undefined when no control plane was started there. */
export function readState(dir: string): ControlPlaneState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneState;
}

/** Writes `<dir>/state.json` (after a process of the control plane was started again). */
export function writeState(state: ControlPlaneState): void {
  writeFileSync(join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The admin's client certificate and the cluster CA, from the kubeconfig the control plane wrote. */
export function adminTlsOf(state: Pick<ControlPlaneState, 'kubeconfig'>): TlsClient {
  const kubeconfig = readFileSync(state.kubeconfig, 'utf8');
  const field = (name: string): string =>
    Buffer.from(new RegExp(`${name}: (\\S+)`).exec(kubeconfig)?.[1] ?? '', 'base64').toString();
  return {
    ca: field('certificate-authority-data'),
    cert: field('client-certificate-data'),
    key: field('client-key-data'),
  };
}

/** True when every process of the state is alive and the apiserver answers /readyz. */
export async function isHealthy(state: ControlPlaneState): Promise<boolean> {
  if (!state.processes.every(isRunning)) return false;
  return (await httpsStatus(`${state.server}/readyz`, adminTlsOf(state))) === 200;
}

/**
 * Removes a control plane's directory, unless something is still mounted under it (a node's
 * volume or container root that could not be unmounted): deleting through a mount could reach
 * files outside the directory.
 */
function removeDir(dir: string): void {
  const mounted = mountsUnder(dir);
  if (mounted.length > 0) {
    throw new ControlPlaneError(
      'OOS_ERR_NODE_TEARDOWN',
      `${dir} was kept: ${mounted.length} mount(s) under it could not be unmounted ` +
        `(${mounted.slice(0, 3).join(', ')}). Stop what uses them, \`umount\` them, then run ` +
        '`npm run cluster:down` again.',
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

export interface Stopped {
  /** False when no control plane was recorded in the directory. */
  readonly controlPlane: boolean;
  readonly node: NodeTeardown;
}

/**
 * Stops the control plane recorded in `dir` and its node if any (`orphans`: also a node whose
 * state was lost, found by its fixed names), and removes the directory. Order: the node's
 * kubelet, kube-proxy and scheduler (the apiserver's shutdown would wait for their connections),
 * the control plane, then the node's containers, runtime and network (the apiserver binds an
 * address of that network).
 */
export async function stopControlPlane(
  dir: string,
  options: { readonly orphans?: boolean } = {},
): Promise<Stopped> {
  const state = readState(dir);
  const agents = await stopNodeAgents(dir);
  for (const p of [...(state?.processes ?? [])].reverse()) await stopProcess(p);
  const node = await stopNode(dir, options);
  const existed = state !== undefined || existsSync(dir);
  removeDir(dir);
  return { controlPlane: existed, node: { ...node, removed: [...agents, ...node.removed] } };
}
