import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binariesFor } from '../../controlplane/build.js';
import { EGRESS_PEER, NODE_NETWORK } from '../../controlplane/node/addresses.js';
import { nodeBinariesFor } from '../../controlplane/node/build.js';
import { FIREWALL_FORWARD_CHAIN } from '../../controlplane/node/firewall.js';
import { writeProbeImage } from '../../controlplane/node/images.js';
import { snapshotHost, type HostSnapshot } from './host-snapshot.js';
import {
  EgressPeer,
  PolicyCluster,
  PROBE_PORT,
  PEER_PORT,
  probePod,
  REFUSED,
} from './policy-support.js';
import { cluster as clusterCommand, nodeSkipReason } from './support.js';

const unsupported = nodeSkipReason('e2e/node/network-policy.e2e.ts');

const clusterDir = mkdtempSync(join(tmpdir(), 'oos-netpol-e2e-'));
const cluster = (script: string, ...args: string[]) => clusterCommand(clusterDir, script, ...args);
const k = new PolicyCluster(binariesFor().kubectl, join(clusterDir, 'kubeconfig'));
const [ALLOWED_DEST, OTHER_DEST] = EGRESS_PEER.addresses;

const inNode = (command: string, ...args: string[]): string =>
  spawnSync('nsenter', [`--net=/run/netns/${NODE_NETWORK.netns}`, '--', command, ...args], {
    encoding: 'utf8',
  }).stdout;

// Two namespaces, as two teams' capabilities: the callee fraud-scoring in `scoring`; in `triage`
// its caller invoice-triage and a third workload of another capability.
const SCORING = 'scoring';
const TRIAGE = 'triage';

/**
 * The NetworkPolicy of the shape oos owns for a Closed capability (engine/coordination's
 * desiredNetworkPolicy): named after the capability, selecting its Pods by
 * `oos.dev/capability`, ingress from named callers (namespace by `kubernetes.io/metadata.name`
 * and Pods by capability) on their ports, egress to declared destinations by ipBlock.
 */
function oosPolicy(
  namespace: string,
  capability: string,
  rules: {
    readonly callers?: readonly { namespace: string; capability: string }[];
    readonly destinations?: readonly string[];
  },
): object {
  const tcp = (port: number) => [{ protocol: 'TCP', port }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: `oos-interactions-${capability}`,
      namespace,
      labels: { 'oos.dev/managed-by': 'oos' },
    },
    spec: {
      podSelector: { matchLabels: { 'oos.dev/capability': capability } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: (rules.callers ?? []).map((c) => ({
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
            podSelector: { matchLabels: { 'oos.dev/capability': c.capability } },
          },
        ],
        ports: tcp(PROBE_PORT),
      })),
      egress: (rules.destinations ?? []).map((cidr) => ({
        to: [{ ipBlock: { cidr } }],
        ports: tcp(PEER_PORT),
      })),
    },
  };
}

describe.skipIf(unsupported !== undefined)(
  'NetworkPolicies enforced on the node (kube-router)',
  () => {
    let before: HostSnapshot;
    let binDirs: string[];
    let peer: EgressPeer | undefined;
    let scoringUrl = '';
    /** How long each policy change took to hold, for the report. */
    const took: Record<string, number> = {};

    beforeAll(async () => {
      binDirs = [nodeBinariesFor().dir];
      before = snapshotHost(clusterDir, binDirs);
      const up = await cluster('up', '--node');
      if (up.code !== 0) throw new Error(`cluster:up -- --node failed:\n${up.output}`);
      const image = join(clusterDir, 'probe.tar');
      writeProbeImage(nodeBinariesFor(), image);
      const imported = await cluster('image-import', image);
      if (imported.code !== 0) throw new Error(`image-import failed:\n${imported.output}`);
      peer = await EgressPeer.create(nodeBinariesFor().path('probe'));
      await k.apply(
        ...[SCORING, TRIAGE].map((name) => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        })),
        probePod(SCORING, 'fraud-scoring', 'fraud-scoring'),
        probePod(TRIAGE, 'invoice-triage', 'invoice-triage'),
        probePod(TRIAGE, 'other', 'report-writer'),
      );
      await k.kubectl('wait', '--for=condition=Ready', 'pod', '--all', '-A', '--timeout=120s');
      scoringUrl = `http://${await k.podIp(SCORING, 'fraud-scoring')}:${PROBE_PORT}`;
    }, 1_800_000);

    afterAll(async () => {
      process.stderr.write(
        `network-policy.e2e: time for a change to hold (ms) ${JSON.stringify(took)}\n`,
      );
      peer?.remove();
      await cluster('down');
      rmSync(clusterDir, { recursive: true, force: true });
    }, 180_000);

    it('runs the firewall alone in the node namespace, hooked before kube-proxy sees a packet', () => {
      const forward = inNode('iptables', '-S', 'FORWARD');
      expect(forward).toContain(`-j ${FIREWALL_FORWARD_CHAIN}`);
      // No router, no service proxy: no IPVS, no BGP, no kube-router CNI bridge.
      expect(inNode('ip', '-o', 'link', 'show')).not.toMatch(
        /kube-bridge|kube-dummy-if|kube-ipvs0/,
      );
    });

    it('without a policy, both Pods of the other namespace connect', async () => {
      for (const pod of ['invoice-triage', 'other']) {
        const r = await k.reach(TRIAGE, pod, `${scoringUrl}/${pod}`);
        expect(r).toEqual({ ok: true, output: `fraud-scoring /${pod}` });
      }
      const out = await k.reach(TRIAGE, 'invoice-triage', peer?.url(OTHER_DEST, '/out') ?? '');
      expect(out.ok).toBe(true);
    });

    it('default deny with one allowed caller lets in only that caller, on its port', async () => {
      await k.apply(
        oosPolicy(SCORING, 'fraud-scoring', {
          callers: [{ namespace: TRIAGE, capability: 'invoice-triage' }],
        }),
      );
      const refused = await k.until(TRIAGE, 'other', `${scoringUrl}/other`, false);
      took.denyOther = refused.afterMs;
      expect(refused.ok).toBe(false);
      expect(refused.output).toMatch(REFUSED);
      const allowed = await k.reach(TRIAGE, 'invoice-triage', `${scoringUrl}/caller`);
      expect(allowed).toEqual({ ok: true, output: 'fraud-scoring /caller' });
      // The caller's label on a Pod of another namespace does not pass: both selectors must match.
      await k.apply(probePod(SCORING, 'impostor', 'invoice-triage'));
      await k.kubectl(
        'wait',
        '--for=condition=Ready',
        '-n',
        SCORING,
        'pod/impostor',
        '--timeout=60s',
      );
      const impostor = await k.until(SCORING, 'impostor', `${scoringUrl}/impostor`, false);
      expect(impostor.ok).toBe(false);
      expect(impostor.output).toMatch(REFUSED);
    });

    it('removing the allow blocks the caller again', async () => {
      await k.apply(oosPolicy(SCORING, 'fraud-scoring', {}));
      const refused = await k.until(TRIAGE, 'invoice-triage', `${scoringUrl}/again`, false);
      took.denyCaller = refused.afterMs;
      expect(refused.ok).toBe(false);
      expect(refused.output).toMatch(REFUSED);
      // Putting the allow back lets it in again (the block was the policy, not a broken Pod).
      await k.apply(
        oosPolicy(SCORING, 'fraud-scoring', {
          callers: [{ namespace: TRIAGE, capability: 'invoice-triage' }],
        }),
      );
      const back = await k.until(TRIAGE, 'invoice-triage', `${scoringUrl}/back`, true);
      took.allowCaller = back.afterMs;
      expect(back).toMatchObject({ ok: true, output: 'fraud-scoring /back' });
    });

    it('egress: blocked to an undeclared destination, allowed only to the declared one', async () => {
      const url = (dest: (typeof EGRESS_PEER.addresses)[number], path: string): string =>
        peer?.url(dest, path) ?? '';
      await k.apply(oosPolicy(TRIAGE, 'invoice-triage', {}));
      const blocked = await k.until(TRIAGE, 'invoice-triage', url(ALLOWED_DEST, '/a'), false);
      took.denyEgress = blocked.afterMs;
      expect(blocked.ok).toBe(false);
      expect(blocked.output).toMatch(REFUSED);

      await k.apply(oosPolicy(TRIAGE, 'invoice-triage', { destinations: [`${ALLOWED_DEST}/32`] }));
      const allowed = await k.until(TRIAGE, 'invoice-triage', url(ALLOWED_DEST, '/b'), true);
      took.allowEgress = allowed.afterMs;
      expect(allowed.ok).toBe(true);
      expect(allowed.output).toMatch(/ \/b$/);
      const other = await k.reach(TRIAGE, 'invoice-triage', url(OTHER_DEST, '/c'));
      expect(other.ok).toBe(false);
      expect(other.output).toMatch(REFUSED);
      // A Pod the policy does not select still goes anywhere the peer serves.
      expect((await k.reach(TRIAGE, 'other', url(OTHER_DEST, '/d'))).ok).toBe(true);
    });

    it('cluster:down leaves nothing behind, ipsets and iptables chains included', async () => {
      // While it runs, the firewall's sets and chains live in the node's namespace only.
      expect(inNode('ipset', 'list', '-name').trim()).not.toBe('');
      expect(inNode('iptables-save')).toContain('KUBE-NWPLCY-');
      expect(snapshotHost(clusterDir, binDirs).ipsets).toEqual(before.ipsets);
      peer?.remove();
      peer = undefined;
      const down = await cluster('down');
      expect(down.code).toBe(0);
      expect(snapshotHost(clusterDir, binDirs)).toEqual(before);
    });
  },
);
