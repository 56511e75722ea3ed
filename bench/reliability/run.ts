import type { NodeTarget } from './node-target.js';
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
    if (chosen.includes(name)) results.push(await SCENARIOS[name](target, options));
  }
  return results;
}
