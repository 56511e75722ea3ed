import {
  CONDITION_READY,
  type GovernancePolicy,
  type GovernancePolicyStatus,
} from '../../api/index.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { mergeConditions, type ConditionSpec } from './conditions.js';
import { withObservedGeneration } from './generation.js';

/**
 * The status of a GovernancePolicy at `now`: Ready when it is the policy in force (the one named
 * `default`), with its enforcement mode and exempt namespaces, so a person can see what oos
 * applies; any other is not in force.
 */
export function governancePolicyStatus(
  policy: GovernancePolicy,
  snapshot: GovernanceSnapshot,
  now: number,
): GovernancePolicyStatus {
  const inForce = snapshot.policy.name === policy.metadata.name;
  const exempt = [...snapshot.policy.exemptNamespaces].sort();
  const ready: ConditionSpec = inForce
    ? {
        type: CONDITION_READY,
        status: 'True',
        reason: 'InForce',
        message: `In force: enforcement ${policy.spec.enforcement}; exempt namespaces (admitted without a chain, still audited): ${exempt.length === 0 ? 'none' : exempt.join(', ')}.`,
      }
    : {
        type: CONDITION_READY,
        status: 'False',
        reason: 'NotInForce',
        message: `Not in force: oos applies ${snapshot.policy.name === undefined ? 'its built-in defaults' : `GovernancePolicy ${snapshot.policy.name}`}.`,
      };
  const generation = policy.metadata.generation;
  return withObservedGeneration(generation, {
    conditions: mergeConditions(policy.status?.conditions, [ready], generation, now),
  });
}
