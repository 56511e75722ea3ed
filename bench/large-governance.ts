/**
 * The large governance the benchmarks decide against: 100 namespaces of 50 capabilities each
 * (5,000), two delegations per capability (10,000), 1,000 roles and one exemption per namespace.
 */
import type { GovernanceObjects } from '../engine/index.js';
import {
  capability,
  delegation,
  exemption,
  holder,
  policy,
  role,
} from '../engine/testing/fixtures.js';

export const NAMESPACES = 100;
export const CAPABILITIES_PER_NAMESPACE = 50;
export const DELEGATIONS_PER_CAPABILITY = 2;
export const ROLES = 1_000;

export function largeGovernance(): GovernanceObjects {
  const roles = Array.from({ length: ROLES }, (_, r) =>
    role(`role-${r}`, [
      holder('alice'),
      holder(`holder-${r}`),
      holder('bob', '2026-01-01T00:00:00Z'),
    ]),
  );
  const capabilities = [];
  const delegations = [];
  const exemptions = [];
  for (let n = 0; n < NAMESPACES; n += 1) {
    const namespace = `team-${n}`;
    for (let c = 0; c < CAPABILITIES_PER_NAMESPACE; c += 1) {
      const name = `cap-${c}`;
      capabilities.push(
        capability(
          name,
          {
            accountableRole: `role-${(n * CAPABILITIES_PER_NAMESPACE + c) % ROLES}`,
            boundaries: {
              allowedImages: ['vllm/*', 'registry.example.com/*'],
              maxReplicas: 8,
              maxAcceleratorsPerPod: 2,
            },
          },
          namespace,
        ),
      );
      for (let d = 0; d < DELEGATIONS_PER_CAPABILITY; d += 1) {
        delegations.push(
          delegation(`${name}-sa-${d}`, { capability: name, serviceAccount: `sa-${d}` }, namespace),
        );
      }
    }
    exemptions.push(exemption(`break-glass-${n}`, { scope: { names: ['incident'] } }, namespace));
  }
  return {
    roles,
    capabilities,
    delegations,
    exemptions,
    escalationPolicies: [],
    escalations: [],
    policies: [policy()],
  };
}
