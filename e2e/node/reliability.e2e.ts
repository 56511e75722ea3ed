import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOLDER,
  loadDelegation,
  loadGovernance,
  PEOPLE_GROUP,
} from '../../bench/reliability/fixtures.js';
import { NodeTarget } from '../../bench/reliability/node-target.js';
import { SCENARIOS, type ScenarioName, type ScenarioOptions } from '../../bench/reliability/run.js';
import type { ScenarioResult } from '../../bench/reliability/scenarios.js';
import { binariesFor } from '../../controlplane/build.js';
import { installOos, uninstallOos, type OosRelease } from '../../controlplane/node/oos-release.js';
import { cluster as clusterCommand, nodeSkipReason } from './support.js';

// The reliability scenarios of `npm run bench:reliability` (bench/reliability/), the same code at
// a rate the CI's 2 cores hold while the rest of the suite runs (the bench sends 200/s): oos
// installed by its chart on the local node, two replicas, under admission load through the
// apiserver. Asserted: the invariants (no failed admission, no escalation lost or duplicated, a
// new leader, watches back and admission correct after an apiserver restart and after 410 Gone);
// never a wall time (the bench reports those).
const unsupported = nodeSkipReason('e2e/node/reliability.e2e.ts');

const OPTIONS: ScenarioOptions = { rate: 40, connections: 8, tailSeconds: 3, escalations: 10 };
const clusterDir = mkdtempSync(join(tmpdir(), 'oos-reliability-e2e-'));
const kubeconfig = join(clusterDir, 'kubeconfig');
const { kubectl, helm } = binariesFor();
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Every check of a scenario, as `what: detail` for the ones that failed (so the failure says why). */
const failedChecks = (result: ScenarioResult): string[] =>
  result.checks.filter((c) => !c.ok).map((c) => `${c.what}: ${c.detail}`);

describe.skipIf(unsupported !== undefined)('oos on the node under admission load', () => {
  let release: OosRelease | undefined;
  let target: NodeTarget | undefined;

  beforeAll(async () => {
    const up = await clusterCommand(clusterDir, 'up', '--node');
    if (up.code !== 0) throw new Error(`cluster:up -- --node failed:\n${up.output}`);
    release = await installOos({
      clusterDir,
      kubeconfig,
      helm,
      kubectl,
      log,
      set: [
        // A one-minute certificate: renewed every 40 s, so the rotation scenario sees one soon.
        'extraArgs[0]=--serving-cert-validity=1m',
        // A shorter preStop delay than the default 15 s keeps the rolling restart short.
        'shutdownDelaySeconds=5',
      ],
    });
    target = new NodeTarget(release, kubeconfig, clusterDir, kubectl, log);
    const now = Date.now();
    await target.kubectl(['apply', '-f', '-'], { stdin: loadGovernance(now) });
    await target.kubectl(['apply', '-f', '-'], {
      stdin: loadDelegation(now),
      as: HOLDER,
      groups: [PEOPLE_GROUP],
    });
  }, 1_800_000);

  afterAll(async () => {
    try {
      target?.close();
      if (release) await uninstallOos({ kubeconfig, helm, kubectl, release });
    } finally {
      await clusterCommand(clusterDir, 'down');
      rmSync(clusterDir, { recursive: true, force: true });
    }
  }, 300_000);

  const scenario = (name: ScenarioName): Promise<ScenarioResult> => {
    if (!target) throw new Error('oos was not installed');
    return SCENARIOS[name](target, OPTIONS);
  };

  it('fails no admission during a rolling restart of the operator', async () => {
    const result = await scenario('rolling');
    expect(failedChecks(result)).toEqual([]);
    expect(result.load.sent).toBeGreaterThan(100);
  }, 600_000);

  it('fails no admission while the serving certificate rotates on every replica', async () => {
    const result = await scenario('certificate');
    expect(failedChecks(result)).toEqual([]);
  }, 600_000);

  it('loses and duplicates no escalation when the leader is killed mid-escalation', async () => {
    const result = await scenario('leader');
    expect(failedChecks(result)).toEqual([]);
  }, 600_000);

  it('recovers its watches after a kube-apiserver restart and decides on current governance', async () => {
    const result = await scenario('apiserver');
    expect(failedChecks(result)).toEqual([]);
  }, 600_000);

  it('relists after etcd compaction (410 Gone) and stays correct', async () => {
    const result = await scenario('compaction');
    expect(failedChecks(result)).toEqual([]);
  }, 600_000);
});
