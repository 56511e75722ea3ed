import { delegationSchema, type Delegation } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { changedExcept } from '../json.js';
import { objectKey } from '../snapshot.js';
import { parseTime } from '../time.js';
import { authorized, requireHolder, requireHuman } from './checks.js';
import { checkDuration } from './limits.js';
import { withParsed, type GovernanceRequest, type KindRule } from './request.js';

const NARROWING_FIELDS = ['revoked', 'validFrom', 'validUntil', 'grantedBy'];

/** An update that only revokes the delegation or shortens its window: anyone RBAC allows. */
function onlyNarrows(old: Delegation['spec'], spec: Delegation['spec']): boolean {
  if (changedExcept(old, spec, NARROWING_FIELDS)) return false;
  if (old.revoked && !spec.revoked) return false;
  const until = (text: string) => parseTime(text) ?? -Infinity;
  if (until(spec.validUntil) > until(old.validUntil)) return false;
  const from = (text: string | undefined) => parseTime(text) ?? -Infinity;
  return from(spec.validFrom) >= from(old.validFrom);
}

function grant(request: GovernanceRequest<Delegation>): Verdict {
  const { spec, metadata } = request.object;
  const namespace = request.namespace ?? '';
  const what = `grant ${request.subject}`;
  const capability = request.snapshot.capabilities.get(objectKey(namespace, spec.capability));
  if (capability === undefined) {
    const human = requireHuman(
      request,
      what,
      'a current holder of the accountable role of the capability',
    );
    return (
      human ?? {
        reason: 'CapabilityNotFound',
        message: `${request.subject} delegates capability ${spec.capability}, but namespace ${namespace} has no such Capability: create the Capability first, or correct spec.capability.`,
      }
    );
  }
  const role = capability.capability.spec.accountableRole;
  const denied = requireHolder(request, [role], what, false);
  if (denied !== undefined) return denied;
  const created = parseTime(request.old?.metadata.creationTimestamp ?? metadata.creationTimestamp);
  const start = parseTime(spec.validFrom) ?? created ?? request.now;
  return (
    checkDuration(request.subject, start, spec.validUntil, {
      reason: 'DelegationTooLong',
      field: 'validUntil',
      maxMs: request.snapshot.policy.maxDelegationMs,
      policyField: 'maxDelegation',
    }) ?? authorized(request, what)
  );
}

/**
 * Granting execution (creating a Delegation, or widening one) is for a current holder of the
 * capability's accountable role only: never a machine, never a governance admin in the holder's
 * stead. The window is at most the policy's maxDelegation. Revoking or shortening is open.
 */
export const authorizeDelegation: KindRule = (raw) =>
  withParsed(delegationSchema, raw, (request) => {
    const old = request.old?.spec;
    if (old !== undefined && onlyNarrows(old, request.object.spec)) {
      return authorized(request, `revoke or shorten ${request.subject}`);
    }
    return grant(request);
  });
