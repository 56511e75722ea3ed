/**
 * The pure plan of one controller round (engine/plan) at a quarter, half and full size of the large
 * governance (`large-governance.ts`) with 200 AI Pods per namespace (20,000 at full size): median
 * time of `planRound`, its share per step, and how it grows; and a round reusing the previous one
 * after one Delegation revoked, one Capability suspended, one Capability annotated (a new object
 * with the same spec object, as the schema gate hands it out) and nothing changed. Numbers only,
 * no assertions.
 *
 *   npx tsx bench/plan.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { buildSnapshot, type GovernanceObjects } from '../engine/index.js';
import { planRound, planRoundSteps, type RoundInput } from '../engine/plan/index.js';
import { largeRound } from './large-round.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The median time of `runs` calls of `work`. */
function time(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * `round` with `objects` changed by `change`, and a snapshot built from them as the cache builds
 * it: from the round's, whose parts that did not change it takes as they are.
 */
function after(
  round: RoundInput,
  change: (objects: GovernanceObjects) => GovernanceObjects,
): RoundInput {
  const objects = change(round.objects);
  return { ...round, objects, snapshot: buildSnapshot(objects, {}, round.snapshot) };
}

const rows: string[] = [];
let base: number | undefined;
for (const [size, namespaces] of [
  ['quarter', 25],
  ['half', 50],
  ['full', 100],
] as const) {
  const round = largeRound(namespaces);
  const previous = planRound(round);
  let slices = 0;
  let longest = 0;
  const full = time(5, () => {
    const steps = planRoundSteps(round);
    let last = performance.now();
    let step = steps.next();
    slices = 0;
    while (step.done !== true) {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      slices += 1;
      step = steps.next();
    }
  });
  // One object replaced by a changed copy, as the cache hands out a changed object.
  const revoked = after(round, (o) => ({
    ...o,
    delegations: (o.delegations ?? []).map((d, i) =>
      i === 0 ? { ...d, spec: { ...d.spec, revoked: true } } : d,
    ),
  }));
  const suspended = after(round, (o) => ({
    ...o,
    capabilities: (o.capabilities ?? []).map((c, i) =>
      i === 0 ? { ...c, spec: { ...c.spec, suspend: true, suspendedBy: 'alice' } } : c,
    ),
  }));
  // An annotation written: a new object, the same spec object (as the schema gate hands it out).
  const annotated = after(round, (o) => ({
    ...o,
    capabilities: (o.capabilities ?? []).map((c, i) =>
      i === 0 ? { ...c, metadata: { ...c.metadata, annotations: { 'example.com/tick': '1' } } } : c,
    ),
  }));
  const delegationRound = time(5, () => planRound({ ...revoked, previous }));
  const annotatedRound = time(5, () => planRound({ ...annotated, previous }));
  const suspendRound = time(5, () => planRound({ ...suspended, previous }));
  const unchanged = time(5, () => planRound({ ...round, previous }));
  base ??= full;
  rows.push(
    `| ${size} | ${String(previous.statuses.size)} | ${String(previous.findings.length)} | ${full.toFixed(0)} ms (${(full / base).toFixed(2)}×) | ${String(slices)} / ${longest.toFixed(1)} ms | ${delegationRound.toFixed(0)} ms | ${suspendRound.toFixed(0)} ms | ${annotatedRound.toFixed(0)} ms | ${unchanged.toFixed(0)} ms |`,
  );
}
console.log(
  '| size | statuses | workloads audited | whole round (of quarter) | slices / longest | after one Delegation revoked | after one Capability suspended | after one Capability annotated | nothing changed |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
