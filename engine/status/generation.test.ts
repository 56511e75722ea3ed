import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../../api/index.js';
import { planEpisode } from '../escalation/episode.js';
import { routingOf } from '../escalation/routing.js';
import {
  capability,
  delegation,
  delegationExpiredCause,
  escalation,
  escalationPolicy,
  exemption,
  NOW,
  policy,
  role,
  snapshot,
} from '../testing/fixtures.js';
import { optimizedResults, sameHiddenClass } from '../testing/hidden-class.js';
import { accountableRoleStatus } from './accountable-role.js';
import { capabilityStatus, NO_WORKLOADS } from './capability.js';
import { delegationStatus } from './delegation.js';
import { exemptionStatus } from './exemption.js';
import { governancePolicyStatus } from './governance-policy.js';
import { withObservedGeneration } from './generation.js';

const now = NOW.getTime();
const COUNT = 12;

/**
 * {@link COUNT} objects made by `make`, each with its own name and a generation, as the apiserver
 * keeps them.
 */
function many<T extends { readonly metadata: ObjectMeta }>(make: (name: string) => T): T[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const object = make(`object-${String(i)}`);
    return { ...object, metadata: { ...object.metadata, generation: i + 1 } };
  });
}

/** Whether every status shares the first one's hidden class. */
function shareOneHiddenClass(statuses: readonly object[]): boolean {
  const [first] = statuses;
  return first !== undefined && statuses.every((status) => sameHiddenClass(first, status));
}

describe('planned statuses share one hidden class (engine/shape.ts)', () => {
  it('puts observedGeneration first, and only when there is a generation', () => {
    expect(Object.keys(withObservedGeneration(3, { state: 'Active', conditions: [] }))).toEqual([
      'observedGeneration',
      'state',
      'conditions',
    ]);
    const status = { conditions: [] };
    expect(withObservedGeneration(undefined, status)).toBe(status);
  });

  it('Delegation statuses, built by optimized code', () => {
    const delegations = many((name) => delegation(name));
    const snap = snapshot({ delegations });
    const statuses = optimizedResults(
      delegationStatus,
      delegations.map((d) => [d, snap, now] as const),
    );
    expect(statuses.map((s) => s.observedGeneration)).toEqual(delegations.map((_, i) => i + 1));
    expect(shareOneHiddenClass(statuses)).toBe(true);
  });

  it('Capability statuses', () => {
    const capabilities = many((name) => capability(name));
    const snap = snapshot({ capabilities });
    const statuses = optimizedResults(
      capabilityStatus,
      capabilities.map((c) => [c, snap, NO_WORKLOADS, now] as const),
    );
    expect(shareOneHiddenClass(statuses)).toBe(true);
  });

  it('AccountableRole statuses', () => {
    const roles = many((name) => role(name));
    const snap = snapshot({ roles });
    const statuses = optimizedResults(
      accountableRoleStatus,
      roles.map((r) => [r, snap, now] as const),
    );
    expect(shareOneHiddenClass(statuses)).toBe(true);
  });

  it('Exemption statuses', () => {
    const exemptions = many((name) => exemption(name));
    const snap = snapshot({ exemptions });
    const statuses = optimizedResults(
      exemptionStatus,
      exemptions.map((e) => [e, snap, now] as const),
    );
    expect(shareOneHiddenClass(statuses)).toBe(true);
  });

  it('GovernancePolicy statuses', () => {
    const policies = many(() => policy());
    const snap = snapshot({ policies: policies.slice(0, 1) });
    const statuses = optimizedResults(
      governancePolicyStatus,
      policies.map((p) => [p, snap, now] as const),
    );
    expect(shareOneHiddenClass(statuses)).toBe(true);
  });

  it('Escalation statuses', () => {
    const routing = routingOf(escalationPolicy('ladder', { retention: '30d' }));
    const escalations = many((name) => {
      const e = escalation(name, { policy: 'ladder', accountableRole: 'model-risk-officer' });
      return { ...e, metadata: { ...e.metadata, creationTimestamp: '2026-06-01T12:00:00Z' } };
    });
    const plans = optimizedResults(
      planEpisode,
      escalations.map((e) => [e, delegationExpiredCause, routing, now] as const),
    );
    expect(shareOneHiddenClass(plans.map((plan) => plan.status))).toBe(true);
  });
});
