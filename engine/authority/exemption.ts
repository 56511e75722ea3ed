import { exemptionSchema, type Exemption } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { sameJson } from '../json.js';
import { objectKey } from '../snapshot.js';
import { parseTime } from '../time.js';
import { authorized, requireHolder, requireHuman } from './checks.js';
import { describeActor } from './identity.js';
import { checkDuration } from './limits.js';
import { withParsed, type GovernanceRequest, type KindRule } from './request.js';

/** Only Exemptions in the operator's namespace may cover another namespace. */
function outOfScope(request: GovernanceRequest<Exemption>): Verdict | undefined {
  const target = request.object.spec.scope.namespace;
  const own = request.namespace;
  if (target === undefined || target === own || own === request.snapshot.operatorNamespace) {
    return undefined;
  }
  return {
    reason: 'ExemptionOutOfScope',
    message: `${request.subject} covers namespace ${target}, but an Exemption may only cover its own namespace unless it lives in the oos namespace: create it in namespace ${target}, or unset scope.namespace.`,
  };
}

function tooLong(request: GovernanceRequest<Exemption>): Verdict | undefined {
  const { spec, metadata } = request.object;
  if (request.old?.spec.expiresAt === spec.expiresAt) return undefined;
  const created = parseTime(request.old?.metadata.creationTimestamp ?? metadata.creationTimestamp);
  return checkDuration(request.subject, created ?? request.now, spec.expiresAt, {
    reason: 'ExemptionTooLong',
    field: 'expiresAt',
    maxMs: request.snapshot.policy.maxExemptionMs,
    policyField: 'maxExemption',
  });
}

/**
 * Approval: a person other than the requester who currently holds the accountable role of the
 * exempted capability, or a governance admin (the only approver when no capability is named).
 */
function approve(request: GovernanceRequest<Exemption>): Verdict | undefined {
  const { spec } = request.object;
  const what = `approve ${request.subject}`;
  const requester = request.old?.spec.requestedBy ?? spec.requestedBy;
  const human = requireHuman(
    request,
    what,
    'a current holder of the accountable role or a governance admin',
  );
  if (human !== undefined) return human;
  if (request.old === undefined) {
    return {
      reason: 'SelfApproval',
      message: `${describeActor(request.actor)} cannot create ${request.subject} already approved: no one approves the exemption they request; create it with approved: false and ask a current holder of the accountable role or a governance admin to approve it.`,
    };
  }
  if (requester === request.actor.username) {
    return {
      reason: 'SelfApproval',
      message: `${describeActor(request.actor)} cannot ${what}: it was requested by ${requester}, and no one approves their own exemption; ask a current holder of the accountable role or a governance admin.`,
    };
  }
  if (request.actor.admin) return undefined;
  if (spec.capability === undefined) {
    return {
      reason: 'NotRoleHolder',
      message: `${describeActor(request.actor)} cannot ${what}: it names no capability, so only a governance admin may approve it.`,
    };
  }
  const capability = request.snapshot.capabilities.get(
    objectKey(request.namespace ?? '', spec.capability),
  );
  if (capability === undefined) {
    return {
      reason: 'CapabilityNotFound',
      message: `${describeActor(request.actor)} cannot ${what}: capability ${spec.capability} does not exist in namespace ${request.namespace ?? ''}, so only a governance admin may approve it.`,
    };
  }
  return requireHolder(request, [capability.capability.spec.accountableRole], what, true);
}

/**
 * Requesting is for people; the exemption is scoped to its namespace (unless it lives in the oos
 * namespace) and lasts at most the policy's maxExemption; approving is {@link approve}.
 */
export const authorizeExemption: KindRule = (raw) =>
  withParsed(exemptionSchema, raw, (request) => {
    const { old, object } = request;
    if (old === undefined) {
      const denied = requireHuman(
        request,
        `request ${request.subject}`,
        'the person who needs the break-glass',
      );
      if (denied !== undefined) return denied;
    }
    const scope =
      old === undefined || !sameJson(old.spec.scope, object.spec.scope)
        ? outOfScope(request)
        : undefined;
    const problem = scope ?? tooLong(request);
    if (problem !== undefined) return problem;
    if (object.spec.approved && old?.spec.approved !== true) {
      const denied = approve(request);
      if (denied !== undefined) return denied;
      return authorized(request, `approve ${request.subject}`);
    }
    return authorized(request, `${old === undefined ? 'request' : 'change'} ${request.subject}`);
  });
