import { effectivePosture } from '../coordination/index.js';
import { objectKey, type GovernanceSnapshot } from '../snapshot.js';

/** The capabilities of a namespace, by name, with whether each is Closed. */
export interface NamespacePostures {
  /** Closed under the policy itself: every capability, present or future, is Closed. */
  readonly policyClosed: boolean;
  readonly closed: ReadonlySet<string>;
  readonly known: ReadonlySet<string>;
}

/** How the capabilities of `namespace` stand: O(capabilities of that namespace). */
export function namespacePostures(
  snapshot: GovernanceSnapshot,
  namespace: string,
): NamespacePostures {
  const { coordination } = snapshot.policy.spec;
  const names = snapshot.capabilityNames.get(namespace) ?? [];
  const closed = new Set<string>();
  for (const name of names) {
    const found = snapshot.capabilities.get(objectKey(namespace, name));
    if (found !== undefined && effectivePosture(found.capability, coordination) === 'Closed') {
      closed.add(name);
    }
  }
  return { policyClosed: coordination.posture === 'Closed', closed, known: new Set(names) };
}
