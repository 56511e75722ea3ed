/**
 * The controller's rounds while one Capability's spec after another changes, as in the busy load
 * of `npm run bench:controller` (its `spec.description`, ten namespaces apart): 800 rounds at full
 * size (`large-round.ts`, its objects carrying the statuses a first round planned, as the
 * operator's cache holds them once written), each planned from the snapshot rebuilt after one
 * change and reusing the round before. Prints the median and p90 time of a round and the
 * garbage collections that ran among them (count and time); with `--bytes`, the bytes a round
 * allocates instead, measured in a process started again with a young generation that holds them
 * (`allocation.ts`). Also the median and p90 time of the snapshot's rebuild after each change.
 * With `--plain`, the changed lists are copies that do not say which position changed (see
 * `changed`). Numbers only, no assertions.
 *
 *   npx tsx bench/round-churn.bench.ts [--bytes] [--plain]
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Capability } from '../api/index.js';
import { buildSnapshot } from '../engine/index.js';
import { replacedAt } from '../engine/list-delta.js';
import { withPlannedStatuses } from '../engine/testing/written.js';
import { planRound, type RoundInput, type RoundPlan } from '../engine/plan/index.js';
import { measure, withRoomToAllocate } from './allocation.js';
import { CAPABILITIES_PER_NAMESPACE, NAMESPACES } from './large-governance.js';
import { largeRound } from './large-round.js';

const ROUNDS = 800;
const bytes = process.argv.includes('--bytes');
const plain = process.argv.includes('--plain');
/** The snapshot's rebuild after each change, in ms. */
const rebuilds: number[] = [];
if (bytes) withRoomToAllocate(import.meta.url);

/**
 * The round's input after the `tick`th change: one Capability's description, as the cache hands
 * it out (the schema gate's list with that position replaced, `replacedAt`; with `--plain`, a
 * copy that does not say which, as before 2026-12-03), and the time the snapshot took to rebuild.
 */
function changed(input: RoundInput, tick: number): RoundInput {
  const index = (tick % NAMESPACES) * CAPABILITIES_PER_NAMESPACE + 20 + (tick % 20);
  const list = input.objects.capabilities ?? [];
  const edit = (c: Capability): Capability => ({
    ...c,
    spec: { ...c.spec, description: `Changed (tick ${String(tick)}).` },
  });
  const target = list[index];
  const capabilities =
    plain || target === undefined
      ? list.map((c, i) => (i === index ? edit(c) : c))
      : replacedAt(list, new Map([[index, edit(target)]]));
  const objects = { ...input.objects, capabilities };
  const started = performance.now();
  const snapshot = buildSnapshot(objects, {}, input.snapshot);
  rebuilds.push(performance.now() - started);
  return { ...input, objects, snapshot };
}

const planned = largeRound();
const objects = withPlannedStatuses(planned.objects, planRound(planned));
const first = { ...planned, objects, snapshot: buildSnapshot(objects, {}, planned.snapshot) };
let previous: RoundPlan = planRound(first);
const inputs: RoundInput[] = [];
let input = first;
for (let tick = 1; tick <= ROUNDS; tick += 1) {
  input = changed(input, tick);
  inputs.push(input);
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (bytes) {
  // Warm up on the first 60 changes, then measure ten rounds (a collection among them would
  // undercount: allocation.ts then says so).
  for (const next of inputs.slice(0, 60)) previous = planRound({ ...next, previous });
  let at = 60;
  await measure('a round after one change', 10, () => {
    for (const next of inputs.slice(at, at + 10)) previous = planRound({ ...next, previous });
    at += 10;
  });
} else {
  let collections = 0;
  let collecting = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      collections += 1;
      collecting += entry.duration;
    }
  });
  await pause(100);
  observer.observe({ entryTypes: ['gc'] });
  const times: number[] = [];
  for (const next of inputs) {
    const started = performance.now();
    previous = planRound({ ...next, previous });
    times.push(performance.now() - started);
  }
  await pause(100); // the last collections' entries reach the observer
  observer.disconnect();
  const at = (list: number[], q: number): string =>
    (list.sort((a, b) => a - b)[Math.floor(q * (list.length - 1))] ?? NaN).toFixed(2);
  console.log(
    `${String(ROUNDS)} rounds after one change each: median ${at(times, 0.5)} ms, p90 ${at(times, 0.9)} ms; ${String(collections)} collections among them, ${collecting.toFixed(0)} ms; the snapshot's rebuild before each: median ${at(rebuilds, 0.5)} ms, p90 ${at(rebuilds, 0.9)} ms`,
  );
}
