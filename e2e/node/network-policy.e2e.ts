import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binariesFor } from '../../controlplane/build.js';
import { NODE_NETWORK } from '../../controlplane/node/addresses.js';
import { nodeBinariesFor } from '../../controlplane/node/build.js';
import { FIREWALL_FORWARD_CHAIN } from '../../controlplane/node/firewall.js';
import { writeProbeImage } from '../../controlplane/node/images.js';
import {
  CALLEE,
  CALLER,
  DECLARED_DESTINATION,
  networkPolicyName,
  SCORING,
  storyPolicies,
  TRIAGE,
  UNDECLARED_DESTINATION,
  type Story,
} from './coordination-fixtures.js';
import { snapshotHost, type HostSnapshot } from './host-snapshot.js';
import { EgressPeer, PolicyCluster, PROBE_PORT, probePod, REFUSED } from './policy-support.js';
import { cluster as clusterCommand, nodeSkipReason } from './support.js';

const unsupported = nodeSkipReason('e2e/node/network-policy.e2e.ts');

const clusterDir = mkdtempSync(join(tmpdir(), 'oos-netpol-e2e-'));
const cluster = (script: string, ...args: string[]) => clusterCommand(clusterDir, script, ...args);
const k = new PolicyCluster(binariesFor().kubectl, join(clusterDir, 'kubeconfig'));

const inNode = (command: string, ...args: string[]): string =>
  spawnSync('nsenter', [`--net=/run/netns/${NODE_NETWORK.netns}`, '--', command, ...args], {
    encoding: 'utf8',
  }).stdout;

describe.skipIf(unsupported !== undefined)(
  'NetworkPolicies enforced on the node (kube-router)',
  () => {
    let before: HostSnapshot;
    let binDirs: string[];
    let peer: EgressPeer | undefined;
    let calleeUrl = '';
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
        probePod(SCORING, CALLEE, CALLEE),
        probePod(TRIAGE, CALLER, CALLER),
        probePod(TRIAGE, 'other', 'report-writer'),
      );
      await k.kubectl('wait', '--for=condition=Ready', 'pod', '--all', '-A', '--timeout=120s');
      calleeUrl = `http://${await k.podIp(SCORING, CALLEE)}:${PROBE_PORT}`;
    }, 1_800_000);

    afterAll(async () => {
      process.stderr.write(
        `network-policy.e2e: time for a change to hold (ms) ${JSON.stringify(took)}\n`,
      );
      peer?.remove();
      await cluster('down');
      rmSync(clusterDir, { recursive: true, force: true });
    }, 180_000);

    it('runs the firewall alone in the node namespace, hooked into its FORWARD chain, listening nowhere', () => {
      const forward = inNode('iptables', '-S', 'FORWARD');
      expect(forward).toContain(`-j ${FIREWALL_FORWARD_CHAIN}`);
      // No health, metrics or BGP port: kube-router holds no listening socket.
      expect(inNode('ss', '-ltunp')).not.toContain('kube-router');
      // No router, no service proxy: no IPVS, no BGP, no kube-router CNI bridge.
      expect(inNode('ip', '-o', 'link', 'show')).not.toMatch(
        /kube-bridge|kube-dummy-if|kube-ipvs0/,
      );
    });

    /** Applies the NetworkPolicies oos would write for the story (engine/coordination). */
    const enforce = async (story: Story): Promise<void> => {
      const policies = storyPolicies(story);
      expect(policies.map((p) => p.metadata.name).sort()).toEqual(
        [networkPolicyName(CALLEE), networkPolicyName(CALLER)].sort(),
      );
      await k.apply(...policies);
    };
    const toPeer = (address: string, path: string): string => peer?.url(address, path) ?? '';

    it('without a policy, every Pod connects: to the callee and outside the cluster', async () => {
      for (const pod of [CALLER, 'other']) {
        const r = await k.reach(TRIAGE, pod, `${calleeUrl}/${pod}`);
        expect(r).toEqual({ ok: true, output: `${CALLEE} /${pod}` });
      }
      for (const address of [DECLARED_DESTINATION, UNDECLARED_DESTINATION]) {
        expect((await k.reach(TRIAGE, CALLER, toPeer(address, '/out'))).ok).toBe(true);
      }
    });

    it('an agreed edge under a Closed policy lets in only the caller', async () => {
      await enforce({ calleeAccepts: true, callerDeclaresEgress: false });
      const refused = await k.until(TRIAGE, 'other', `${calleeUrl}/other`, false);
      took.denyOther = refused.afterMs;
      expect(refused.ok).toBe(false);
      expect(refused.output).toMatch(REFUSED);
      const allowed = await k.until(TRIAGE, CALLER, `${calleeUrl}/caller`, true);
      expect(allowed).toMatchObject({ ok: true, output: `${CALLEE} /caller` });
      // The caller's label on a Pod of another namespace does not pass: both selectors must match.
      await k.apply(probePod(SCORING, 'impostor', CALLER));
      await k.kubectl(
        'wait',
        '--for=condition=Ready',
        '-n',
        SCORING,
        'pod/impostor',
        '--timeout=60s',
      );
      const impostor = await k.until(SCORING, 'impostor', `${calleeUrl}/impostor`, false);
      expect(impostor.ok).toBe(false);
      expect(impostor.output).toMatch(REFUSED);
    });

    it('the callee withdrawing its acceptance refuses the caller again; agreeing again lets it in', async () => {
      await enforce({ calleeAccepts: false, callerDeclaresEgress: false });
      const refused = await k.until(TRIAGE, CALLER, `${calleeUrl}/again`, false);
      took.denyCaller = refused.afterMs;
      expect(refused.ok).toBe(false);
      expect(refused.output).toMatch(REFUSED);
      await enforce({ calleeAccepts: true, callerDeclaresEgress: false });
      const back = await k.until(TRIAGE, CALLER, `${calleeUrl}/back`, true);
      took.allowCaller = back.afterMs;
      expect(back).toMatchObject({ ok: true, output: `${CALLEE} /back` });
    });

    it('egress: refused outside the cluster unless declared, and then only to the declared address', async () => {
      // Under the Closed policy above, invoice-triage declares no destination.
      const blocked = await k.until(TRIAGE, CALLER, toPeer(DECLARED_DESTINATION, '/a'), false);
      expect(blocked.ok).toBe(false);
      expect(blocked.output).toMatch(REFUSED);

      await enforce({ calleeAccepts: true, callerDeclaresEgress: true });
      const allowed = await k.until(TRIAGE, CALLER, toPeer(DECLARED_DESTINATION, '/b'), true);
      took.allowEgress = allowed.afterMs;
      expect(allowed.ok).toBe(true);
      expect(allowed.output).toMatch(/ \/b$/);
      const other = await k.reach(TRIAGE, CALLER, toPeer(UNDECLARED_DESTINATION, '/c'));
      expect(other.ok).toBe(false);
      expect(other.output).toMatch(REFUSED);
      // A Pod no policy selects still goes anywhere the peer serves.
      expect((await k.reach(TRIAGE, 'other', toPeer(UNDECLARED_DESTINATION, '/d'))).ok).toBe(true);

      await enforce({ calleeAccepts: true, callerDeclaresEgress: false });
      const withdrawn = await k.until(TRIAGE, CALLER, toPeer(DECLARED_DESTINATION, '/e'), false);
      took.denyEgress = withdrawn.afterMs;
      expect(withdrawn.ok).toBe(false);
      expect(withdrawn.output).toMatch(REFUSED);
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
