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
import type { Capability } from '../api/index.js';
import {
  admission,
  alice,
  delegation,
  deployment,
  NOW,
  pod,
  policy,
  unstamped,
  update,
} from '../engine/testing/fixtures.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

type Kind =
  'anchored' | 'unanchored' | 'plain' | 'delegation' | 'interactions' | 'widening' | 'excluding';

const NO_CAPABILITY_PODS = {
  matchExpressions: [{ key: 'oos.dev/capability', operator: 'DoesNotExist' }],
};

function networkPolicy(name: string, namespace: string, podSelector: object): AdmissionInput {
  return admission({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector, policyTypes: ['Ingress'], ingress: [{}] },
  });
}

function inputs(kind: Kind, count: number): AdmissionInput[] {
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
      case 'interactions': {
        // A Capability UPDATE declaring three calls and an acceptsFrom (authority, then the
        // forbidden-edge classes of each peer from the snapshot).
        const stored = largeCapability(namespace, cap);
        const peer = (offset: number) => ({
          namespace,
          capability: `cap-${(i + offset) % CAPABILITIES_PER_NAMESPACE}`,
          ports: [{ port: 8080, protocol: 'TCP' }],
          justification: 'Bench.',
        });
        const next = {
          ...stored,
          spec: {
            ...stored.spec,
            interactions: { calls: [peer(1), peer(2), peer(3)], acceptsFrom: [peer(4)] },
          },
        };
        return update(stored, next, alice);
      }
      case 'widening':
        return networkPolicy(`open-${i}`, namespace, {});
      case 'excluding':
        return networkPolicy(`web-${i}`, namespace, NO_CAPABILITY_PODS);
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

const byKey = new Map(
  (objects.capabilities ?? []).map((c) => [
    `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`,
    c,
  ]),
);
function largeCapability(namespace: string, name: string): Capability {
  const found = byKey.get(`${namespace}/${name}`);
  if (found === undefined) throw new Error(`no capability ${namespace}/${name}`);
  return found;
}

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
rate(
  'Capability UPDATE declaring 4 interactions',
  inputs('interactions', 1_000),
  snapshot,
  10,
  'Authorized',
);
// Every capability Closed by the policy: a NetworkPolicy is judged against the 50 of its namespace.
const closed = buildSnapshot({
  ...objects,
  policies: [policy({ coordination: { posture: 'Closed' } })],
});
rate(
  'NetworkPolicy, empty podSelector (refused)',
  inputs('widening', 1_000),
  closed,
  50,
  'NetworkPolicyWidensCapability',
);
rate(
  'NetworkPolicy, capability Pods excluded (admitted)',
  inputs('excluding', 1_000),
  closed,
  50,
  'NotGoverned',
);
