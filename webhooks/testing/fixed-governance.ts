/**
 * A governance source that always answers with one snapshot, synced, no namespace labels: what
 * the admission server's tests and benches decide against when no cache runs. `overrides` sets
 * any other answer (not synced, stale since, namespaces being deleted). Test code only.
 */
import type { GovernanceSnapshot } from '../../engine/index.js';
import type { GovernanceSource } from '../governance-source.js';

export function fixedGovernance(
  snapshot: GovernanceSnapshot | undefined,
  overrides: Partial<GovernanceSource> = {},
): GovernanceSource {
  return {
    snapshot: () => snapshot,
    namespaceLabels: () => undefined,
    synced: () => true,
    pending: () => [],
    ...overrides,
  };
}
