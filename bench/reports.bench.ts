/**
 * The OpenReports of one audit round against the large governance: 10,000 running AI workloads
 * in 100 namespaces (90% anchored, 9% unanchored, 1% under an Exemption). Reports the audit's
 * time, what building the reports adds to it, the cost of an exempted workload's second decision,
 * carrying timestamps over an unchanged round, and the size of the reports. Numbers only.
 *
 *   npx tsx bench/reports.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { buildSnapshot } from '../engine/index.js';
import { auditWorkload, type Finding } from '../engine/escalation/index.js';
import { buildReports, carryTimestamps } from '../engine/reports/index.js';
import { deployment, NOW } from '../engine/testing/fixtures.js';
import { CAPABILITIES_PER_NAMESPACE, largeGovernance, NAMESPACES } from './large-governance.js';

const WORKLOADS = 10_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timed<T>(rounds: number, run: () => T): { result: T; ms: number } {
  let result = run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  return { result, ms: median(times) };
}

const snapshot = buildSnapshot(largeGovernance());
const workloads = Array.from({ length: WORKLOADS }, (_, i) => {
  const namespace = `team-${i % NAMESPACES}`;
  const labels = { 'oos.dev/capability': `cap-${i % CAPABILITIES_PER_NAMESPACE}` };
  const kind = i % 100;
  if (kind === 0) {
    // Covered by the namespace's Exemption (names: [incident]); its chain is decided twice.
    return deployment({ name: 'incident', namespace, image: 'vllm/vllm-openai:v0.6.3' });
  }
  if (kind < 10) return deployment({ name: `loose-${i}`, namespace, image: 'ollama/ollama:0.5' });
  return deployment({
    name: `w-${i}`,
    namespace,
    labels,
    templateLabels: labels,
    serviceAccount: `sa-${i % 2}`,
    image: 'vllm/vllm-openai:v0.6.3',
  });
});

const audit = timed(9, () =>
  workloads.flatMap((w) => auditWorkload(w, snapshot, undefined, NOW) ?? []),
);
const findings: Finding[] = audit.result;
const reasons = new Map<string, number>();
for (const f of findings) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
console.log(
  `findings: ${findings.length} (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})`,
);
console.log(`audit of ${WORKLOADS} workloads: median ${audit.ms.toFixed(1)} ms`);

const exempted = workloads.filter((_, i) => i % 100 === 0);
const anchored = workloads.filter((_, i) => i % 100 >= 10).slice(0, exempted.length);
const exemptAudit = timed(25, () =>
  exempted.map((w) => auditWorkload(w, snapshot, undefined, NOW)),
);
const anchoredAudit = timed(25, () =>
  anchored.map((w) => auditWorkload(w, snapshot, undefined, NOW)),
);
console.log(
  `per workload: exempted ${((1000 * exemptAudit.ms) / exempted.length).toFixed(1)} µs (with its underlying verdict), anchored ${((1000 * anchoredAudit.ms) / anchored.length).toFixed(1)} µs`,
);

const built = timed(9, () => buildReports(findings, snapshot, NOW));
console.log(
  `buildReports: median ${built.ms.toFixed(1)} ms for ${built.result.reports.length} Reports + ${built.result.cluster?.results.length ?? 0} roles in the ClusterReport (${((100 * built.ms) / audit.ms).toFixed(0)}% of the audit)`,
);
const later = new Date(NOW.getTime() + 60_000);
const next = buildReports(findings, snapshot, later);
const previous = new Map(built.result.reports.map((r) => [r.metadata.namespace, r]));
const carried = timed(9, () =>
  next.reports.map((r) => carryTimestamps(previous.get(r.metadata.namespace), r)),
);
console.log(`carryTimestamps over an unchanged round: median ${carried.ms.toFixed(1)} ms`);
const sizes = built.result.reports.map((r) => Buffer.byteLength(JSON.stringify(r)));
const cluster = Buffer.byteLength(JSON.stringify(built.result.cluster));
console.log(
  `report size: ${Math.round(median(sizes) / 1024)} KiB per namespace (${sizes.length} × ${WORKLOADS / NAMESPACES} results), largest ${Math.round(Math.max(...sizes) / 1024)} KiB; ClusterReport ${Math.round(cluster / 1024)} KiB`,
);
