import type { NodeTarget } from './node-target.js';
import { summarize } from './summary.js';
import {
  apiserverRestart,
  certificateRotation,
  etcdCompaction,
  leaderKill,
  rollingRestart,
  type LoadOptions,
  type ScenarioResult,
} from './scenarios.js';

export type ScenarioOptions = LoadOptions & { readonly escalations: number };

/** The scenarios by the name `--scenario` takes, in the order they run. */
export const SCENARIOS = {
  rolling: rollingRestart,
  certificate: certificateRotation,
  leader: leaderKill,
  apiserver: apiserverRestart,
  compaction: etcdCompaction,
} as const satisfies Record<string, (t: NodeTarget, o: ScenarioOptions) => Promise<ScenarioResult>>;

export type ScenarioName = keyof typeof SCENARIOS;

/** Runs the chosen scenarios one after the other, in the table's order. */
export async function runScenarios(
  target: NodeTarget,
  chosen: readonly ScenarioName[],
  options: ScenarioOptions,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
    if (!chosen.includes(name)) continue;
    try {
      results.push(await SCENARIOS[name](target, options));
    } catch (error) {
      // A scenario that could not finish is reported; the next ones still run.
      target.log(`scenario ${name} did not finish: ${String(error)}`);
      results.push(unfinished(name, error));
    }
  }
  return results;
}

function unfinished(name: string, error: unknown): ScenarioResult {
  return {
    name,
    load: summarize([]),
    apiserver: { calls: 0, p99Ms: NaN, reset: false },
    figures: {},
    checks: [
      { what: 'the scenario ran to its end', ok: false, detail: String(error).slice(0, 500) },
    ],
  };
}
