/**
 * Micro-benchmark of the engine: builds a snapshot of 5,000 capabilities and 10,000 delegations,
 * then reports snapshot build time and decisions per second. Numbers only, no assertions.
 *
 *   npx tsx bench/engine.bench.ts
 */
import { performance } from 'node:perf_hooks';
import {
  applyPatch,
  buildSnapshot,
  decide,
  stampPatch,
  type AdmissionInput,
  type GovernanceSnapshot,
} from '../engine/index.js';
import { CAPABILITIES_PER_NAMESPACE, largeGovernance, NAMESPACES } from './large-governance.js';
import {
  admission,
  alice,
  delegation,
  deployment,
  NOW,
  pod,
  unstamped,
} from '../engine/testing/fixtures.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function inputs(
  kind: 'anchored' | 'unanchored' | 'plain' | 'delegation',
  count: number,
): AdmissionInput[] {
  return Array.from({ length: count }, (_, i) => {
    const namespace = `team-${i % NAMESPACES}`;
    const cap = `cap-${i % CAPABILITIES_PER_NAMESPACE}`;
    const labels = { 'oos.dev/capability': cap };
    switch (kind) {
      case 'anchored':
        return admission(
          deployment({
            name: `w-${i}`,
            namespace,
            labels,
            templateLabels: labels,
            serviceAccount: `sa-${i % 2}`,
            image: 'vllm/vllm-openai:v0.6.3',
            replicas: 2,
            resources: { limits: { 'nvidia.com/gpu': 1 } },
          }),
        );
      case 'unanchored':
        return admission(
          pod({
            name: `p-${i}`,
            namespace,
            image: 'ollama/ollama:0.5',
            env: [{ name: 'OPENAI_API_KEY' }],
          }),
        );
      case 'plain':
        return admission(deployment({ name: `web-${i}`, namespace, image: 'nginx:1.27' }));
      case 'delegation':
        return admission(
          unstamped(
            delegation(`new-${i}`, { capability: cap, serviceAccount: 'sa-new' }, namespace),
          ),
          { user: alice },
        );
    }
  });
}

/** What the apiserver does with one request: the mutating webhook's stamps, then the decision. */
function admit(input: AdmissionInput, snapshot: GovernanceSnapshot): string {
  const patch = stampPatch(input, snapshot, NOW);
  const object = patch.length === 0 ? input : { ...input, object: applyPatch(input.object, patch) };
  return decide(object, snapshot, NOW).reason;
}

function rate(
  label: string,
  batch: readonly AdmissionInput[],
  snapshot: GovernanceSnapshot,
  rounds: number,
  expected: string,
): void {
  for (const input of batch) {
    const reason = admit(input, snapshot);
    if (reason !== expected) throw new Error(`${label}: expected ${expected}, got ${reason}`);
  }
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const input of batch) admit(input, snapshot);
  }
  const seconds = (performance.now() - started) / 1000;
  const decisions = rounds * batch.length;
  const perSecond = Math.round(decisions / seconds).toLocaleString('en-US');
  console.log(
    `${label.padEnd(48)} ${perSecond.padStart(10)} decisions/s  (${((1e6 * seconds) / decisions).toFixed(1)} µs each, ${decisions.toLocaleString('en-US')} decisions)`,
  );
}

const setupStarted = performance.now();
const objects = largeGovernance();
console.log(
  `governance: ${objects.capabilities?.length ?? 0} capabilities, ${objects.delegations?.length ?? 0} delegations, ${objects.roles?.length ?? 0} roles, ${objects.exemptions?.length ?? 0} exemptions (built and schema-validated in ${Math.round(performance.now() - setupStarted)} ms)`,
);

const builds: number[] = [];
let snapshot = buildSnapshot(objects);
for (let i = 0; i < 7; i += 1) {
  const started = performance.now();
  snapshot = buildSnapshot(objects);
  builds.push(performance.now() - started);
}
console.log(
  `buildSnapshot: median ${median(builds).toFixed(1)} ms, min ${Math.min(...builds).toFixed(1)} ms over ${builds.length} builds`,
);

rate('AI Deployment, anchored (whole chain)', inputs('anchored', 1_000), snapshot, 50, 'Anchored');
rate(
  'AI Pod, unanchored (AnchorMissing)',
  inputs('unanchored', 1_000),
  snapshot,
  50,
  'AnchorMissing',
);
rate('plain Deployment (NotAIWorkload)', inputs('plain', 1_000), snapshot, 50, 'NotAIWorkload');
rate(
  'Delegation CREATE (stamp + schema + authority)',
  inputs('delegation', 1_000),
  snapshot,
  10,
  'Authorized',
);
