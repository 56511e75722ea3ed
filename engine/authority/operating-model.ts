import type { Verdict } from '../decision.js';
import { describeActor } from './identity.js';
import type { RawRequest } from './request.js';

/**
 * The operating model (AccountableRoles and the GovernancePolicy) is appointed, not
 * self-assigned: only a governance admin or a trusted applier (GitOps) changes it. While the
 * policy in force names no governance admin, the members of group system:masters are the admins
 * (bootstrap), so the first policy and roles can be created.
 */
export function requireGovernor(request: RawRequest, what: string): Verdict | undefined {
  const { actor } = request;
  if (actor.admin || actor.kind === 'TrustedApplier') return undefined;
  const admins =
    request.snapshot.policy.name === undefined
      ? 'a governance admin (while no GovernancePolicy names any: a member of group system:masters)'
      : 'a governance admin of the GovernancePolicy';
  return {
    reason: 'NotGovernanceAdmin',
    message: `${describeActor(actor)} cannot ${what}: the operating model is appointed, not self-assigned, so only ${admins} or a trusted applier (GitOps) may.`,
  };
}
