import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runKubectl, type KubectlOptions } from '../../controlplane/kubectl.js';
import { EGRESS_PEER, NODE_NETWORK } from '../../controlplane/node/addresses.js';
import { PROBE_IMAGE } from '../../controlplane/node/images.js';

/**
 * What the node's NetworkPolicy tests share: Pods of the probe image labelled like oos's
 * workloads, a connection tried from inside a Pod, waiting until the firewall has caught up, and
 * a destination outside the cluster that the test owns (the egress peer).
 */

/** The port every probe Pod serves on (the image's default command). */
export const PROBE_PORT = 8080;
/** The port the egress peer serves on, on both its addresses. */
export const PEER_PORT = 9090;

/** A probe Pod labelled as one capability's workload (`oos.dev/capability`), or a plain one. */
export function probePod(namespace: string, name: string, capability?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: capability === undefined ? { app: name } : { 'oos.dev/capability': capability },
    },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'probe',
          image: PROBE_IMAGE,
          imagePullPolicy: 'Never',
          ports: [{ containerPort: PROBE_PORT }],
          readinessProbe: { httpGet: { path: '/ready', port: PROBE_PORT }, periodSeconds: 1 },
          securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      ],
    },
  };
}

export interface Reach {
  readonly ok: boolean;
  /** The probe's answer, or why the connection failed (e.g. `connection refused`). */
  readonly output: string;
}

export class PolicyCluster {
  constructor(
    private readonly kubectlBin: string,
    readonly kubeconfig: string,
  ) {}

  async kubectl(...args: string[]): Promise<string> {
    const r = await runKubectl(this.kubectlBin, this.kubeconfig, args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async apply(...objects: object[]): Promise<void> {
    await this.applyAs({}, ...objects);
  }

  /** `kubectl apply` as someone (`--as`, `--as-group`): a role holder consenting, say. */
  async applyAs(who: Omit<KubectlOptions, 'stdin'>, ...objects: object[]): Promise<void> {
    await this.applyYaml(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), who);
  }

  /** `kubectl apply -f -` of a YAML (or JSON) text. */
  async applyYaml(text: string, who: Omit<KubectlOptions, 'stdin'> = {}): Promise<void> {
    const r = await runKubectl(this.kubectlBin, this.kubeconfig, ['apply', '-f', '-'], {
      ...who,
      stdin: text,
    });
    if (r.code !== 0) throw new Error(`kubectl apply exited ${r.code}: ${r.stderr}`);
  }

  async podIp(namespace: string, name: string): Promise<string> {
    return this.kubectl('get', 'pod', '-n', namespace, name, '-o', 'jsonpath={.status.podIP}');
  }

  /** An HTTP GET from inside the Pod `namespace/name` (the probe's `get`, 10 s timeout). */
  async reach(namespace: string, name: string, url: string): Promise<Reach> {
    const r = await runKubectl(this.kubectlBin, this.kubeconfig, [
      'exec',
      '-n',
      namespace,
      name,
      '--',
      '/probe',
      'get',
      url,
    ]);
    return { ok: r.code === 0, output: `${r.stdout}${r.stderr}`.trim() };
  }

  /**
   * Waits until a GET from the Pod succeeds (`want` true) or fails (false), as the firewall
   * catches up with a policy change; then tries once more, so a flapping answer fails the test.
   * Returns the last answer and how long the change took to hold.
   */
  async until(
    namespace: string,
    name: string,
    url: string,
    want: boolean,
    timeoutMs = 60_000,
  ): Promise<Reach & { readonly afterMs: number }> {
    const started = Date.now();
    let last: Reach = { ok: !want, output: 'not tried' };
    while (Date.now() - started < timeoutMs) {
      last = await this.reach(namespace, name, url);
      if (last.ok === want) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const afterMs = Date.now() - started;
    if (last.ok !== want) return { ...last, afterMs };
    return { ...(await this.reach(namespace, name, url)), afterMs };
  }
}

/** A connection the firewall refused: kube-router REJECTs, so the connect fails at once. */
export const REFUSED = /connection refused|i\/o timeout|deadline exceeded/;

const inNetns = (netns: string, command: string, args: readonly string[]) =>
  spawnSync('nsenter', [`--net=/run/netns/${netns}`, '--', command, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });

function run(command: string, args: readonly string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
}

/**
 * The egress peer (`EGRESS_PEER` in controlplane/node/addresses.ts): a network namespace of the
 * test's own, joined to the node's by a veth pair, serving `probe serve` on both its addresses.
 * Nothing else outside the cluster is reachable from a Pod.
 */
export class EgressPeer {
  private server: ChildProcess | undefined;

  private constructor(private readonly probeBin: string) {}

  static async create(probeBin: string): Promise<EgressPeer> {
    const p = EGRESS_PEER;
    const peer = new EgressPeer(probeBin);
    run('ip', ['netns', 'add', p.netns]);
    run('ip', [
      'link',
      'add',
      p.nodeLink,
      'netns',
      NODE_NETWORK.netns,
      'type',
      'veth',
      'peer',
      'name',
      p.peerLink,
      'netns',
      p.netns,
    ]);
    const node = ['-n', NODE_NETWORK.netns];
    const far = ['-n', p.netns];
    run('ip', [...node, 'addr', 'add', `${p.nodeAddress}/${p.prefix}`, 'dev', p.nodeLink]);
    run('ip', [...node, 'link', 'set', p.nodeLink, 'up']);
    for (const address of p.addresses) {
      run('ip', [...far, 'addr', 'add', `${address}/${p.prefix}`, 'dev', p.peerLink]);
    }
    run('ip', [...far, 'link', 'set', 'lo', 'up']);
    run('ip', [...far, 'link', 'set', p.peerLink, 'up']);
    run('ip', [...far, 'route', 'add', NODE_NETWORK.podCidr, 'via', p.nodeAddress]);
    peer.server = spawn(
      'nsenter',
      [`--net=/run/netns/${p.netns}`, '--', probeBin, 'serve', String(PEER_PORT)],
      { stdio: 'ignore' },
    );
    // Up once the node's namespace (where the Pods' packets come from) reaches both addresses.
    const deadline = Date.now() + 20_000;
    while (!p.addresses.every((a) => peer.reachableFromNode(a))) {
      if (Date.now() > deadline) throw new Error('the egress peer did not answer');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return peer;
  }

  url(address: string, path: string): string {
    return `http://${address}:${PEER_PORT}${path}`;
  }

  private reachableFromNode(address: string): boolean {
    return (
      inNetns(NODE_NETWORK.netns, this.probeBin, ['get', `http://${address}:${PEER_PORT}/`])
        .status === 0
    );
  }

  /** Stops the server and removes the namespace (its veth pair goes with it). */
  remove(): void {
    this.server?.kill('SIGKILL');
    if (existsSync(`/run/netns/${EGRESS_PEER.netns}`))
      run('ip', ['netns', 'delete', EGRESS_PEER.netns]);
  }
}
