/**
 * `npm run bench:reliability`: oos installed by its chart on the local node (two replicas),
 * under an admission load through the apiserver (`load.ts`, its own process), through the five
 * scenarios of `scenarios.ts`. Needs root and the node's prerequisites (docs/node.md), and the
 * machine's one node (it refuses to start while another runs). Prints a Markdown table per
 * scenario; exits 1 when a check failed.
 *
 *   npm run bench:reliability -- [--rate 200] [--connections 16] [--tail 5] [--escalations 30]
 *                                [--scenario rolling|certificate|leader|apiserver|compaction ...]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binariesFor } from '../../controlplane/build.js';
import { installOos } from '../../controlplane/node/oos-release.js';
import { checkNodeCanStart } from '../../controlplane/node/preflight.js';
import { cluster } from '../../e2e/node/support.js';
import { HOLDER, loadDelegation, loadGovernance, PEOPLE_GROUP } from './fixtures.js';
import { NodeTarget } from './node-target.js';
import { runScenarios, SCENARIOS, type ScenarioName } from './run.js';
import type { ScenarioResult } from './scenarios.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '16' },
    tail: { type: 'string', default: '5' },
    escalations: { type: 'string', default: '30' },
    scenario: { type: 'string', multiple: true },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run bench:reliability -- [--rate 200] [--connections 16] [--tail 5] ' +
      `[--escalations 30] [--scenario ${Object.keys(SCENARIOS).join('|')} ...]\n`,
  );
  process.exit(0);
}
const chosen = (values.scenario ?? Object.keys(SCENARIOS)) as ScenarioName[];
for (const s of chosen) if (!(s in SCENARIOS)) throw new Error(`--scenario ${s}: unknown`);

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : 'n/a');

function table(result: ScenarioResult): string {
  const { load } = result;
  const rows: [string, string][] = [
    [
      'requests sent (offered / answered rate)',
      `${String(load.sent)} (${load.rate.toFixed(0)}/s / ${load.answeredRate.toFixed(0)}/s)`,
    ],
    ['failed', String(load.failed)],
    ['generator p50 / p99 / max', `${ms(load.p50Ms)} / ${ms(load.p99Ms)} / ${ms(load.maxMs)}`],
    [
      `apiserver p99 of the oos webhooks (${String(result.apiserver.calls)} calls${result.apiserver.reset ? ', since its restart' : ''})`,
      ms(result.apiserver.p99Ms),
    ],
    ['answers warning of stale governance', String(load.staleWarned)],
  ];
  if (result.whileApiserverDown) {
    rows.push([
      'sent while the apiserver was down (not counted above)',
      `${String(result.whileApiserverDown.requests)}, ${String(result.whileApiserverDown.failed)} unanswered or refused, ${String(result.whileApiserverDown.failedOpen)} denied objects allowed`,
    ]);
  }
  for (const [k, v] of Object.entries(result.figures)) rows.push([k, v]);
  for (const c of result.checks) rows.push([`${c.ok ? 'ok' : 'FAILED'}: ${c.what}`, c.detail]);
  for (const f of load.failures.slice(0, 5)) rows.push([`failure ×${String(f.count)}`, f.error]);
  return [
    `### ${result.name}`,
    '',
    '| what | value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replaceAll('|', '\\|')} |`),
  ].join('\n');
}

// Before anything is made: with another node running, the `cluster:down` below would take it too.
checkNodeCanStart();
const clusterDir = mkdtempSync(join(tmpdir(), 'oos-reliability-'));
const kubeconfig = join(clusterDir, 'kubeconfig');
const { kubectl, helm } = binariesFor();
let failed = false;
try {
  const up = await cluster(clusterDir, 'up', '--node');
  if (up.code !== 0) throw new Error(`cluster:up -- --node failed:\n${up.output}`);
  const release = await installOos({
    clusterDir,
    kubeconfig,
    helm,
    kubectl,
    log,
    // A serving certificate of 2 minutes: renewed every 80 s, so scenario 2 sees a rotation.
    set: ['extraArgs[0]=--serving-cert-validity=2m'],
  });
  const target = new NodeTarget(release, kubeconfig, clusterDir, kubectl, log);
  try {
    const now = Date.now();
    await target.kubectl(['apply', '-f', '-'], { stdin: loadGovernance(now) });
    await target.kubectl(['apply', '-f', '-'], {
      stdin: loadDelegation(now),
      as: HOLDER,
      groups: [PEOPLE_GROUP],
    });
    const options = {
      rate: Number(values.rate),
      connections: Number(values.connections),
      tailSeconds: Number(values.tail),
      escalations: Number(values.escalations),
    };
    log(
      `machine: ${String(cpus().length)} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const results = await runScenarios(target, chosen, options);
    log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    for (const result of results) {
      process.stdout.write(`${table(result)}\n\n`);
      if (result.checks.some((c) => !c.ok)) failed = true;
    }
  } finally {
    target.close();
  }
} finally {
  await cluster(clusterDir, 'down');
  rmSync(clusterDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
