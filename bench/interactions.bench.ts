/**
 * The coordination layer's part of a controller round (engine/plan/interactions.ts) at 1,000,
 * 2,000 and 4,000 capabilities under a Closed policy, each calling its 4 neighbours (accepted by
 * 3 of them, so a quarter of the edges wait): median time to build the graph, every status entry,
 * every owned NetworkPolicy and the pending edges; the same when nothing changed (reused); a whole
 * round with them; and how each grows. Numbers only, no assertions.
 *
 *   npx tsx bench/interactions.bench.ts
 */
import type { Capability } from '../api/index.js';
import { buildSnapshot, type GovernanceObjects } from '../engine/index.js';
import { planRound } from '../engine/plan/index.js';
import { interactionGraph } from '../engine/coordination/index.js';
import { planInteractions } from '../engine/plan/interactions.js';
import { capability, governance, NOW, policy, role } from '../engine/testing/fixtures.js';
import { time } from './timing.js';

const NAMESPACES = 20;
const NEIGHBOURS = 4;

const at = (i: number, n: number) => ({
  namespace: `team-${String(i % NAMESPACES)}`,
  capability: `cap-${String(i % n)}`,
});

function objects(n: number): GovernanceObjects {
  const capabilities: Capability[] = [];
  for (let i = 0; i < n; i += 1) {
    const self = at(i, n);
    const calls = [];
    const acceptsFrom = [];
    for (let k = 1; k <= NEIGHBOURS; k += 1) {
      calls.push({ ...at(i + k, n), ports: [{ port: 8080 }], justification: 'bench' });
      // Accepts 3 of its 4 callers: the fourth edge waits for this side.
      if (k < NEIGHBOURS) acceptsFrom.push({ ...at(i - k + n, n), justification: 'bench' });
    }
    const made = capability(
      self.capability,
      { delegationRequired: false, interactions: { calls, acceptsFrom } },
      self.namespace,
    );
    capabilities.push({ ...made, metadata: { ...made.metadata, uid: `uid-${String(i)}` } });
  }
  return governance({
    roles: [role()],
    capabilities,
    delegations: [],
    policies: [policy({ coordination: { posture: 'Closed' } })],
  });
}

// Warm-up, so the first size is not measured while the code is compiled.
const warm = buildSnapshot(objects(500), {});
for (let i = 0; i < 5; i += 1) planInteractions(warm, undefined);

const rows: string[] = [];
let base: { graph: number; round: number } | undefined;
for (const n of [1000, 2000, 4000]) {
  const input = objects(n);
  const snapshot = buildSnapshot(input, {});
  let built = planInteractions(snapshot, undefined);
  const graph = time(5, () => {
    built = planInteractions(snapshot, undefined);
  }).ms;
  const reused = time(20, () => {
    planInteractions(snapshot, built);
  }).ms;
  const graphOnly = time(5, () => {
    interactionGraph(
      [...snapshot.capabilities.values()].map((c) => c.capability),
      snapshot.policy.spec.coordination,
    );
  }).ms;
  const round = time(3, () => {
    planRound({
      snapshot,
      objects: input,
      workloads: [],
      namespaceLabels: () => undefined,
      invalid: [],
      now: NOW,
    });
  }).ms;
  base ??= { graph, round };
  const entries = [...built.graph.nodes.values()].reduce(
    (sum, node) => sum + node.entries.length,
    0,
  );
  rows.push(
    `| ${String(n)} | ${String(built.graph.edges.length)} | ${String(entries)} | ${String(built.policies.size)} | ${String(built.waiting.length)} | ${graph.toFixed(1)} ms (×${(graph / base.graph).toFixed(2)}) | ${graphOnly.toFixed(1)} ms | ${reused.toFixed(3)} ms | ${round.toFixed(1)} ms (×${(round / base.round).toFixed(2)}) |`,
  );
}
console.log(
  '| capabilities | edges | status entries | owned policies | waiting | graph + policies (planInteractions) | of which the graph | reused | whole round |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
