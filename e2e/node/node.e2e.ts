import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binariesFor } from '../../controlplane/build.js';
import { runKubectl } from '../../controlplane/kubectl.js';
import { NODE_NETWORK } from '../../controlplane/node/addresses.js';
import { nodeBinariesFor } from '../../controlplane/node/build.js';
import { PROBE_IMAGE, writeProbeImage } from '../../controlplane/node/images.js';
import { waitFor } from '../support/wait.js';
import { snapshotHost, type HostSnapshot } from './host-snapshot.js';
import { cluster as clusterCommand, nodeSkipReason } from './support.js';

const unsupported = nodeSkipReason('e2e/node/node.e2e.ts');

const clusterDir = mkdtempSync(join(tmpdir(), 'oos-node-e2e-'));
const kubeconfig = join(clusterDir, 'kubeconfig');
const kubectlBin = binariesFor().kubectl;
const probe = (): string => nodeBinariesFor().path('probe');
const n = NODE_NETWORK;

/** `npm run cluster:<script> -- <args>` as a user types it, on this test's own cluster directory. */
const cluster = (script: string, ...args: string[]) => clusterCommand(clusterDir, script, ...args);

async function kubectlOk(...args: string[]): Promise<string> {
  const r = await runKubectl(kubectlBin, kubeconfig, args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const inNode = (command: string, ...args: string[]): { code: number | null; out: string } => {
  const r = spawnSync('nsenter', [`--net=/run/netns/${n.netns}`, '--', command, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

interface IpLink {
  ifname: string;
  ifindex: number;
  /** For a veth: the peer's ifindex, and the namespace it is in. */
  link_index?: number;
  link_netnsid?: number;
}

const ipJson = (...args: string[]): IpLink[] =>
  JSON.parse(spawnSync('ip', ['-j', ...args], { encoding: 'utf8' }).stdout || '[]') as IpLink[];

const podManifest = `
apiVersion: v1
kind: Pod
metadata: { name: probe, labels: { app: probe } }
spec:
  terminationGracePeriodSeconds: 5
  containers:
    - name: probe
      image: ${PROBE_IMAGE}
      imagePullPolicy: Never
      ports: [{ containerPort: 8080 }]
      readinessProbe: { httpGet: { path: /ready, port: 8080 }, periodSeconds: 1 }
      securityContext:
        runAsNonRoot: true
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        capabilities: { drop: [ALL] }
        seccompProfile: { type: RuntimeDefault }
---
apiVersion: v1
kind: Service
metadata: { name: probe }
spec:
  selector: { app: probe }
  ports: [{ port: 80, targetPort: 8080 }]
`;

describe.skipIf(unsupported !== undefined)('a real worker node (cluster:up -- --node)', () => {
  let before: HostSnapshot;
  let binDirs: string[];
  let up: { code: number; output: string };

  beforeAll(async () => {
    // Only the node's binaries: other control planes on the machine run the same kube-apiserver.
    binDirs = [nodeBinariesFor().dir];
    before = snapshotHost(clusterDir, binDirs);
    up = await cluster('up', '--node');
  }, 1_800_000);

  afterAll(async () => {
    await cluster('down'); // idempotent: a no-op when the last test already took it down
    rmSync(clusterDir, { recursive: true, force: true });
  }, 180_000);

  it('comes up Ready, with the apiserver on the host end of its veth pair', async () => {
    expect(up.output).toContain(`Node ${n.nodeName} is Ready`);
    expect(up.code).toBe(0);
    const node = JSON.parse(await kubectlOk('get', 'node', n.nodeName, '-o', 'json')) as {
      status: {
        addresses: { type: string; address: string }[];
        conditions: { type: string; status: string }[];
      };
    };
    expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: n.nodeAddress });
    const endpoints = await kubectlOk(
      'get',
      'endpointslices',
      '-n',
      'default',
      '-l',
      'kubernetes.io/service-name=kubernetes',
      '-o',
      'jsonpath={.items[0].endpoints[0].addresses[0]}',
    );
    expect(endpoints).toBe(n.hostAddress);
    expect(
      await kubectlOk('get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}'),
    ).toBe(n.kubernetesServiceIp);
  });

  it('routes the Pod and Service ranges into its own namespace, and nowhere else', () => {
    const [hostEnd] = ipJson('link', 'show', n.hostLink);
    const [nodeEnd] = ipJson('-n', n.netns, 'link', 'show', n.nodeLink);
    // The host's end is a veth whose peer is the node's end, in another namespace.
    expect(hostEnd?.link_netnsid).toBeTypeOf('number');
    expect(hostEnd?.link_index).toBe(nodeEnd?.ifindex);
    for (const range of [n.podCidr, n.serviceCidr]) {
      const first = range.replace(/\.0\/24$/, '.10');
      const route = spawnSync('ip', ['route', 'get', first], { encoding: 'utf8' }).stdout;
      expect(route).toContain(`via ${n.nodeAddress} dev ${n.hostLink}`);
    }
    // Inside, no default route: a Pod or the node can reach the host end and nothing beyond.
    expect(inNode('ip', 'route', 'show', 'default').out.trim()).toBe('');
    const outside = inNode(probe(), 'get', 'http://192.0.2.1/');
    expect(outside.code).not.toBe(0);
    expect(outside.out).toMatch(/unreachable/);
  });

  it('runs a Pod from a locally made image (no registry): logs, exec and a ClusterIP Service work', async () => {
    const image = join(clusterDir, 'probe.tar');
    writeProbeImage(nodeBinariesFor(), image);
    const imported = await cluster('image-import', image);
    expect(imported.output).toContain(PROBE_IMAGE);
    expect(imported.code).toBe(0);

    await runKubectl(kubectlBin, kubeconfig, ['apply', '-f', '-'], { stdin: podManifest });
    await kubectlOk('wait', '--for=condition=Ready', 'pod/probe', '--timeout=90s');
    const podIp = await kubectlOk('get', 'pod', 'probe', '-o', 'jsonpath={.status.podIP}');
    expect(podIp.startsWith(n.podCidr.replace(/0\/24$/, ''))).toBe(true);

    expect(await kubectlOk('exec', 'probe', '--', '/probe', 'hostname')).toBe('probe\n');
    const clusterIp = await kubectlOk(
      'get',
      'service',
      'probe',
      '-o',
      'jsonpath={.spec.clusterIP}',
    );
    // From the node's namespace through kube-proxy's rules, and from the Pod to itself (hairpin).
    const fromNode = await waitFor(
      'the Service to answer in the node namespace',
      () => {
        const r = inNode(probe(), 'get', `http://${clusterIp}/from-the-node`);
        return Promise.resolve(r.code === 0 ? r.out : undefined);
      },
      { timeoutMs: 30_000 },
    );
    expect(fromNode).toBe('probe /from-the-node\n');
    expect(
      await kubectlOk('exec', 'probe', '--', '/probe', 'get', `http://${clusterIp}/hairpin`),
    ).toBe('probe /hairpin\n');
    // The Pod reaches the apiserver through the `kubernetes` Service (TLS with the mounted CA is
    // the Pod's business; a refused connection or no route would say something else).
    const api = await runKubectl(kubectlBin, kubeconfig, [
      'exec',
      'probe',
      '--',
      '/probe',
      'get',
      `https://${n.kubernetesServiceIp}/`,
    ]);
    expect(api.stderr).toMatch(/certificate signed by unknown authority/);

    const logs = await kubectlOk('logs', 'probe');
    expect(logs).toContain('probe: serving on port 8080 as probe');
    expect(logs).toContain('GET /from-the-node');
  });

  it("refuses the kubelet's API to a client without a certificate of the cluster's CA", async () => {
    const status = await new Promise<number | undefined>((done) => {
      const req = request(
        `https://${n.nodeAddress}:10250/pods`,
        { rejectUnauthorized: false, timeout: 5_000 },
        (res) => {
          res.resume();
          done(res.statusCode);
        },
      );
      req.on('error', () => {
        done(undefined);
      });
      req.end();
    });
    expect(status).toBe(401);
  });

  it('cluster:down leaves no process, mount, namespace, link, route, iptables rule, cgroup or sysctl change behind', async () => {
    const during = snapshotHost(clusterDir, binDirs);
    // The snapshot sees the node while it runs: it would see leftovers.
    expect(during.netns).toContain(n.netns);
    expect(during.links.some((l) => l.startsWith(n.hostLink))).toBe(true);
    expect(during.cgroups.length).toBeGreaterThan(0);
    expect(during.processes.length).toBeGreaterThan(0);
    expect(during.mounts.length).toBeGreaterThan(0);
    expect(inNode('iptables-save').out).toContain('KUBE-SERVICES');

    const down = await cluster('down');
    expect(down.code).toBe(0);
    expect(snapshotHost(clusterDir, binDirs)).toEqual(before);
  });
});
