/**
 * Micro-benchmark of what the controller runs on each watch event and each status it checks: an
 * echo's status compared with the one planned (`sameJson`), a stored status searched for
 * date-times the controller does not write (`foreignTimes`), and date-times read
 * (`parseApiDateTime`, which every schema check of a date-time field runs too). Over the statuses
 * a full-size round plans (bench/large-round.ts), each as the apiserver would send it back
 * (a copy). Reports time and bytes allocated per call; numbers only, no assertions.
 *
 *   npx tsx bench/event-checks.bench.ts
 *
 * Bytes are the heap's growth over a run with no collection in it (bench/allocation.ts).
 */
import { isCanonicalDateTime, parseApiDateTime } from '../api/date-time.js';
import { sameJson } from '../engine/json.js';
import { planRound } from '../engine/plan/index.js';
import { foreignTimes } from '../engine/status/foreign.js';
import { measure, withRoomToAllocate } from './allocation.js';
import { largeRound } from './large-round.js';

withRoomToAllocate(import.meta.url);

const plan = planRound(largeRound());
const planned = [...plan.statuses.values()].map((status) => status.wanted);
// What a watch event's JSON gives back: an equal copy.
const echoed = planned.map((status) => JSON.parse(JSON.stringify(status)) as unknown);
const times: string[] = [];
const collect = (value: unknown): void => {
  if (typeof value === 'string' && parseApiDateTime(value) !== undefined) times.push(value);
  else if (Array.isArray(value)) value.forEach(collect);
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
};
echoed.forEach(collect);
const canonical = times.filter(isCanonicalDateTime).length;

let kept = 0;
console.log(
  `${String(planned.length)} planned statuses, ${String(times.length)} date-times in them (${String(canonical)} of the form YYYY-MM-DDThh:mm:ssZ)`,
);
await measure('sameJson(echoed status, planned status)', planned.length, () => {
  for (let i = 0; i < planned.length; i++) if (sameJson(echoed[i], planned[i])) kept += 1;
});
await measure('foreignTimes(echoed status)', echoed.length, () => {
  for (const status of echoed) kept += foreignTimes(status).length;
});
await measure('parseApiDateTime(date-time of a status)', times.length, () => {
  for (const text of times) kept += parseApiDateTime(text) ?? 0;
});
if (kept === 0) console.log('(nothing compared)');
