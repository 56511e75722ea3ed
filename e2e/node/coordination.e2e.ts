import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../api/index.js';
import { binariesFor } from '../../controlplane/build.js';
import { nodeBinariesFor } from '../../controlplane/node/build.js';
import { importImage, writeProbeImage } from '../../controlplane/node/images.js';
import { installOos, uninstallOos, type OosRelease } from '../../controlplane/node/oos-release.js';
import { networkPolicyName } from '../../engine/coordination/index.js';
import { as, peopleRbac, role } from '../controller/support.js';
import { waitFor } from '../support/wait.js';
import {
  CALLEE,
  CALLEE_ROLE,
  CALLER,
  CALLER_ROLE,
  closedCoordination,
  DECLARED_DESTINATION,
  SCORING,
  storyCapabilities,
  TRIAGE,
  UNDECLARED_DESTINATION,
  type Story,
} from './coordination-fixtures.js';
import { EgressPeer, PolicyCluster, PROBE_PORT, probePod, REFUSED } from './policy-support.js';
import { cluster as clusterCommand, nodeSkipReason, REPO } from './support.js';

/**
 * The coordination layer end to end on the real node: oos installed by its chart, a Closed
 * GovernancePolicy, invoice-triage calling fraud-scoring. The NetworkPolicies are the
 * controller's (nobody writes one by hand here): a Pod of the caller reaches the callee only once
 * both roles agreed, and is refused again when the callee's role withdraws; outside the cluster
 * it reaches only the destination its role declared.
 */

/** The controller owns NetworkPolicies once the chart lets it write them. */
function controllerSkipReason(): string | undefined {
  const rbac = readFileSync(join(REPO, 'charts/oos/templates/rbac.yaml'), 'utf8');
  if (rbac.includes('networkpolicies')) return undefined;
  const reason = "the chart's controller does not own NetworkPolicies in this tree";
  process.stderr.write(`e2e/node/coordination.e2e.ts skipped: ${reason}\n`);
  return reason;
}

const unsupported = nodeSkipReason('e2e/node/coordination.e2e.ts') ?? controllerSkipReason();

const clusterDir = mkdtempSync(join(tmpdir(), 'oos-coordination-node-e2e-'));
const kubeconfig = join(clusterDir, 'kubeconfig');
const { kubectl: kubectlBin, helm } = binariesFor();
const cluster = (script: string, ...args: string[]) => clusterCommand(clusterDir, script, ...args);
const k = new PolicyCluster(kubectlBin, kubeconfig);
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const PEOPLE = 'oos-coord-people';
const ALICE = as('oos-coord-alice'); // holds the caller's role
const BOB = as('oos-coord-bob'); // holds the callee's role

describe.skipIf(unsupported !== undefined)('the coordination layer enforced on the node', () => {
  let release: OosRelease | undefined;
  let peer: EgressPeer | undefined;
  let calleeUrl = '';
  const took: Record<string, number> = {};

  /** Each role applies its own capability, as the story has it: consent is per side. */
  const declare = async (story: Story): Promise<void> => {
    const [caller, callee] = storyCapabilities(story);
    if (!caller || !callee) throw new Error('the story has two capabilities');
    await k.applyAs(ALICE, caller);
    await k.applyAs(BOB, callee);
  };

  beforeAll(async () => {
    const up = await cluster('up', '--node');
    if (up.code !== 0) throw new Error(`cluster:up -- --node failed:\n${up.output}`);
    const probeArchive = join(clusterDir, 'probe.tar');
    writeProbeImage(nodeBinariesFor(), probeArchive);
    importImage(clusterDir, probeArchive);
    release = await installOos({ clusterDir, kubeconfig, helm, kubectl: kubectlBin, log });
    peer = await EgressPeer.create(nodeBinariesFor().path('probe'));

    const setup = [
      peopleRbac(PEOPLE),
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${SCORING} }`,
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${TRIAGE} }`,
      role(CALLER_ROLE, [ALICE.as]),
      role(CALLEE_ROLE, [BOB.as]),
    ].join('\n---\n');
    await k.applyYaml(setup);
    await k.apply({
      apiVersion: API_VERSION,
      kind: 'GovernancePolicy',
      metadata: { name: 'default' },
      spec: { coordination: closedCoordination() },
    });
    // The caller asks; the callee has not answered yet.
    await declare({ calleeAccepts: false, callerDeclaresEgress: false });
    await k.apply(
      probePod(SCORING, CALLEE, CALLEE),
      probePod(TRIAGE, CALLER, CALLER),
      probePod(TRIAGE, 'web'),
    );
    await k.kubectl(
      'wait',
      '--for=condition=Ready',
      'pod',
      '--all',
      '-n',
      SCORING,
      '--timeout=120s',
    );
    await k.kubectl(
      'wait',
      '--for=condition=Ready',
      'pod',
      '--all',
      '-n',
      TRIAGE,
      '--timeout=120s',
    );
    calleeUrl = `http://${await k.podIp(SCORING, CALLEE)}:${PROBE_PORT}`;
  }, 1_800_000);

  afterAll(async () => {
    process.stderr.write(
      `coordination.e2e: time for a change to hold (ms) ${JSON.stringify(took)}\n`,
    );
    try {
      peer?.remove();
      if (release) await uninstallOos({ kubeconfig, helm, kubectl: kubectlBin, release });
    } finally {
      await cluster('down');
      rmSync(clusterDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('the controller writes one NetworkPolicy per Closed capability', async () => {
    for (const [namespace, name] of [
      [SCORING, CALLEE],
      [TRIAGE, CALLER],
    ] as const) {
      await waitFor(`the NetworkPolicy of ${name}`, async () => {
        const r = await k.kubectl('get', 'networkpolicy', '-n', namespace, '-o', 'name');
        return r.includes(networkPolicyName(name)) ? true : undefined;
      });
    }
  });

  it('while the callee has not agreed, the caller is refused', async () => {
    const refused = await k.until(TRIAGE, CALLER, `${calleeUrl}/asked`, false);
    took.waiting = refused.afterMs;
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(REFUSED);
  });

  it('once both roles agreed, the caller gets in; a Pod of no capability does not', async () => {
    await declare({ calleeAccepts: true, callerDeclaresEgress: false });
    const allowed = await k.until(TRIAGE, CALLER, `${calleeUrl}/agreed`, true, 120_000);
    took.agreed = allowed.afterMs;
    expect(allowed).toMatchObject({ ok: true, output: `${CALLEE} /agreed` });
    const web = await k.reach(TRIAGE, 'web', `${calleeUrl}/web`);
    expect(web.ok).toBe(false);
    expect(web.output).toMatch(REFUSED);
    const state = await k.kubectl(
      'get',
      'capability',
      '-n',
      TRIAGE,
      CALLER,
      '-o',
      'jsonpath={.status.interactions[?(@.direction=="Calls")].state}',
    );
    expect(state).toBe('Agreed');
  });

  it("the callee's role withdrawing refuses the caller again", async () => {
    await declare({ calleeAccepts: false, callerDeclaresEgress: false });
    const refused = await k.until(TRIAGE, CALLER, `${calleeUrl}/withdrawn`, false, 120_000);
    took.withdrawn = refused.afterMs;
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(REFUSED);
  });

  it('outside the cluster, only the destination the role declared', async () => {
    const url = (address: string, path: string): string => peer?.url(address, path) ?? '';
    const undeclared = await k.reach(TRIAGE, CALLER, url(DECLARED_DESTINATION, '/before'));
    expect(undeclared.ok).toBe(false);
    expect(undeclared.output).toMatch(REFUSED);
    await declare({ calleeAccepts: false, callerDeclaresEgress: true });
    const allowed = await k.until(
      TRIAGE,
      CALLER,
      url(DECLARED_DESTINATION, '/declared'),
      true,
      120_000,
    );
    took.egress = allowed.afterMs;
    expect(allowed.ok).toBe(true);
    const other = await k.reach(TRIAGE, CALLER, url(UNDECLARED_DESTINATION, '/other'));
    expect(other.ok).toBe(false);
    expect(other.output).toMatch(REFUSED);
  });
});
