/**
 * The input of a controller round over the large governance (`large-governance.ts`): its first
 * `namespaces` namespaces (all 100 by default) and 200 anchored AI Pods in each, 20,000 at full
 * size. Shared by the benchmarks of the round and of what it checks.
 */
import { buildSnapshot, type GovernanceObjects } from '../engine/index.js';
import type { RoundInput } from '../engine/plan/index.js';
import { anchoredOptions, NOW, pod } from '../engine/testing/fixtures.js';
import { CAPABILITIES_PER_NAMESPACE, largeGovernance, NAMESPACES } from './large-governance.js';

export const PODS_PER_NAMESPACE = 200;

/** The first `namespaces` namespaces of the large governance, and their Pods. */
export function largeRound(namespaces: number = NAMESPACES): RoundInput {
  const all = largeGovernance();
  const inside = (o: { metadata: { namespace?: string | undefined } }) =>
    Number((o.metadata.namespace ?? 'team-0').slice('team-'.length)) < namespaces;
  const objects: GovernanceObjects = {
    ...all,
    roles: (all.roles ?? []).slice(0, (namespaces * (all.roles ?? []).length) / NAMESPACES),
    capabilities: (all.capabilities ?? []).filter(inside),
    delegations: (all.delegations ?? []).filter(inside),
    exemptions: (all.exemptions ?? []).filter(inside),
  };
  const workloads = [];
  for (let n = 0; n < namespaces; n += 1) {
    for (let p = 0; p < PODS_PER_NAMESPACE; p += 1) {
      const cap = `cap-${String(p % CAPABILITIES_PER_NAMESPACE)}`;
      workloads.push(
        pod({
          ...anchoredOptions,
          name: `pod-${String(p)}`,
          namespace: `team-${String(n)}`,
          labels: { 'oos.dev/capability': cap },
          serviceAccount: `sa-${String(p % 2)}`,
          image: 'vllm/vllm-openai:v0.6.3',
        }),
      );
    }
  }
  return {
    snapshot: buildSnapshot(objects, {}),
    objects,
    workloads,
    namespaceLabels: () => undefined,
    invalid: [],
    now: NOW,
  };
}
