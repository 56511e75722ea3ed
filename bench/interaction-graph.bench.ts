/**
 * The register's interaction graph at scale: 1,000 and 5,000 capabilities (100 namespaces), each
 * calling two others — one agreed by the callee, one waiting for it — and reaching one of ten
 * catalogue endpoints. Reports the time to build the graph's rows (engine/coordination's graph
 * included), to lay it out, to draw it as SVG, and the SVG's size, and the ratio between the two
 * sizes (linear work gives about 5). Numbers only, no assertions.
 *
 *   npx tsx bench/interaction-graph.bench.ts
 */
import type { Capability } from '../api/index.js';
import { graphSvg } from '../cli/register/graph.js';
import { buildSnapshot } from '../engine/index.js';
import { graphRows } from '../engine/register/interactions.js';
import { layoutGraph } from '../engine/register/index.js';
import { capability, holder, policy, role, withSpec } from '../engine/testing/fixtures.js';
import { time as timeRuns } from './timing.js';

const NAMESPACES = 100;
const ENDPOINTS = 10;
const RUNS = 9;
const time = <T>(run: () => T) => timeRuns(RUNS, run);
const because = 'Measured by the bench.';
const port = { port: 8080, protocol: 'TCP' as const };

/** Capability i calls i+1 (which accepts it) and i+7 (which does not), and reaches an endpoint. */
function organisation(count: number) {
  const ref = (i: number) => ({
    namespace: `team-${String((i % count) % NAMESPACES)}`,
    capability: `cap-${String(i % count)}`,
  });
  const capabilities: Capability[] = Array.from({ length: count }, (_, i) => {
    const { namespace, capability: name } = ref(i);
    return withSpec(
      capability(name, { riskTier: ['Minimal', 'Limited', 'High'][i % 3] }, namespace),
      {
        interactions: {
          calls: [
            { ...ref(i + 1), ports: [port], justification: because },
            { ...ref(i + 7), ports: [port], justification: because },
          ],
          acceptsFrom: [{ ...ref(i - 1 + count), justification: because }],
          ...(i % 3 === 0
            ? {}
            : {
                egress: [
                  {
                    name: 'model',
                    endpoint: `endpoint-${String(i % ENDPOINTS)}`,
                    justification: because,
                  },
                ],
              }),
        },
      },
    );
  });
  const coordination = {
    endpoints: Array.from({ length: ENDPOINTS }, (_, i) => ({
      name: `endpoint-${String(i)}`,
      description: 'An outside model provider.',
      cidrs: [`198.51.${String(i)}.0/24`],
      ports: [{ port: 443, protocol: 'TCP' }],
    })),
  };
  return buildSnapshot({
    roles: [role('model-risk-officer', [holder('alice')])],
    capabilities,
    policies: [policy({ coordination })],
  });
}

const filterable = (key: string) => ({
  namespace: key.split('/')[0] ?? '',
  roles: ['model-risk-officer'],
  people: ['alice'],
});
const ms = (value: { ms: number; cpuMs: number }) =>
  `${value.ms.toFixed(1)} ms (CPU ${value.cpuMs.toFixed(1)} ms)`;

const results = [1_000, 5_000].map((count) => {
  const snapshot = organisation(count);
  const rows = time(() => graphRows(snapshot, filterable));
  const graph = rows.result;
  const layout = time(() =>
    layoutGraph(
      graph.nodes.map((node) => ({ key: node.key, outside: node.outside })),
      graph.edges,
    ),
  );
  const svg = time(() => graphSvg(graph).text);
  console.log(
    `${String(count)} capabilities: ${String(graph.nodes.length)} nodes, ${String(graph.edges.length)} edges, ${String(layout.result.columns)} columns × ${String(layout.result.rows)} rows; median of ${String(RUNS)} runs`,
  );
  console.log(`  graph rows (interactionGraph + rows)   ${ms(rows)}`);
  console.log(`  layout                                 ${ms(layout)}`);
  console.log(
    `  draw the SVG (layout included)         ${ms(svg)}  (${(Buffer.byteLength(svg.result) / 1024 / 1024).toFixed(1)} MB)`,
  );
  return { count, cpu: rows.cpuMs + svg.cpuMs };
});
const [small, large] = results;
if (small !== undefined && large !== undefined) {
  console.log(
    `CPU of rows + SVG, ${String(large.count)} / ${String(small.count)} capabilities: ${(large.cpu / small.cpu).toFixed(1)}× (5× is linear)`,
  );
}
