/**
 * Micro-benchmark of a scrape of the controller's `/metrics` at full size: the gauges labelled by
 * namespace (`oos_ai_workloads`, `oos_exempt_ai_workloads`) of a full-size round
 * (bench/large-round.ts), written by prom-client from its series at each scrape (as before) against
 * kept as text per namespace (operator/metrics/parted-gauge.ts). Also a round's export after one
 * namespace changed. Reports time and bytes allocated per call; numbers only, no assertions.
 *
 *   npx tsx bench/metrics-scrape.bench.ts
 *
 * Bytes are the heap's growth over a run with no collection in it (bench/allocation.ts).
 */
import { Gauge, Registry } from 'prom-client';
import { NamespaceMetrics, RoundMetrics, planRound } from '../engine/plan/index.js';
import { GaugeExport } from '../operator/controller/gauge-export.js';
import {
  controllerMetrics,
  controllerMetricsBytes,
} from '../operator/metrics/controller-metrics.js';
import { measure, withRoomToAllocate } from './allocation.js';
import { largeRound } from './large-round.js';

withRoomToAllocate(import.meta.url);

const SCRAPES = 10;
const round = planRound(largeRound()).metrics;

// As the controller had it: every series in a prom-client Gauge, formatted at each scrape.
const before = new Registry();
const gauges = controllerMetrics(before);
for (const [name, counts] of [
  [gauges.aiWorkloads.name, (part: NamespaceMetrics) => part.aiWorkloads],
  [gauges.exemptWorkloads.name, (part: NamespaceMetrics) => part.exemptWorkloads],
] as const) {
  const all = [...round.namespaces.values()].flatMap((part) => counts(part).entries());
  const labelNames = Object.keys(all[0]?.labels ?? {});
  const gauge = new Gauge({ name, help: name, labelNames, registers: [before] });
  for (const { labels, value } of all) gauge.set(labels, value);
}

const after = new Registry();
const exported = new GaugeExport();
exported.export(controllerMetrics(after), round);

const series = [...round.namespaces.values()].reduce(
  (sum, part) => sum + part.aiWorkloads.entries().length + part.exemptWorkloads.entries().length,
  0,
);
console.log(
  `${String(round.namespaces.size)} namespaces, ${String(series)} series of the gauges by namespace; the text is ${String((await controllerMetricsBytes(after)).length)} bytes`,
);
await measure('a scrape, every series written by prom-client', SCRAPES, async () => {
  for (let i = 0; i < SCRAPES; i++) await before.metrics();
});
await measure('a scrape, the parted gauges kept as text (UTF-8 bytes)', SCRAPES, async () => {
  for (let i = 0; i < SCRAPES; i++) await controllerMetricsBytes(after);
});

// A round after one namespace changed: its share is planned again (another object).
const namespaces = [...round.namespaces.keys()];
const rounds = namespaces.map((changed) => {
  const next = new RoundMetrics();
  for (const [namespace, part] of round.namespaces) {
    if (namespace !== changed) next.add(namespace, part);
    else {
      const copy = new NamespaceMetrics();
      copy.aiWorkloads.add(part.aiWorkloads);
      copy.exemptWorkloads.add(part.exemptWorkloads);
      next.add(namespace, copy);
    }
  }
  return next;
});
await measure('a round’s export after one namespace changed', rounds.length, () => {
  for (const next of rounds) exported.export(controllerMetrics(after), next);
});
