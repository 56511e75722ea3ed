import { exemptionSchema, type Exemption } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { exemptionDigest } from '../exemption-digest.js';
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

/** The content an approver reviews, in a few words, for the message that asks them to confirm it. */
function describeContent(spec: Exemption['spec'], namespace: string): string {
  const { scope } = spec;
  const parts = [
    `namespace ${scope.namespace ?? namespace}`,
    ...(scope.kinds === undefined ? [] : [`kinds ${JSON.stringify(scope.kinds)}`]),
    ...(scope.names === undefined ? [] : [`names ${JSON.stringify(scope.names)}`]),
    ...(scope.selector === undefined ? [] : [`selector ${JSON.stringify(scope.selector)}`]),
    ...(spec.capability === undefined ? [] : [`capability ${spec.capability}`]),
    `until ${spec.expiresAt}`,
  ];
  return parts.join(', ');
}

/**
 * An approval is bound to what the approver reviewed: `approvedDigest` must name the digest of
 * the content stored when the approval arrives (the approver's request is judged against the
 * stored object, which may have changed since they looked), and the approving request may not
 * change that content.
 */
function unboundApproval(request: GovernanceRequest<Exemption>): Verdict | undefined {
  const { object, old } = request;
  if (old === undefined) return undefined;
  const stored = exemptionDigest(old.spec);
  const given = object.spec.approvedDigest;
  if (given === stored && exemptionDigest(object.spec) === stored) return undefined;
  const why =
    given === undefined
      ? 'an approval names the content it approves'
      : given !== stored
        ? 'the content changed since the digest given was taken (or it is mistyped)'
        : 'the approving request may not change the content it approves';
  return {
    reason: 'ApprovalNotBound',
    message: `${describeActor(request.actor)} cannot approve ${request.subject}: ${why}. It now covers ${describeContent(old.spec, request.namespace ?? '')}, with justification ${JSON.stringify(old.spec.justification)}; if that is what you reviewed, set approved: true and approvedDigest: ${stored} (and nothing else) in one request.`,
  };
}

/** An approved exemption keeps what was approved: its content and its approvedDigest. */
function approvedChanged(request: GovernanceRequest<Exemption>): Verdict | undefined {
  const { object, old } = request;
  if (old?.spec.approved !== true) return undefined;
  const same =
    object.spec.approvedDigest === old.spec.approvedDigest &&
    exemptionDigest(object.spec) === exemptionDigest(old.spec);
  if (same) return undefined;
  return {
    reason: 'ApprovalNotBound',
    message: `${request.subject} is approved, so its scope, capability, justification, expiresAt and approvedDigest cannot change: the approval covers exactly what was reviewed. Create a new Exemption and have it approved.`,
  };
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
  if (requester === undefined) {
    return {
      reason: 'StampMissing',
      message: `${describeActor(request.actor)} cannot ${what}: it has no stamped requestedBy (it got in while the oos mutating webhook was not running), so no one can tell who asked; delete it and have the requester create it again.`,
    };
  }
  if (requester === request.actor.username) {
    return {
      reason: 'SelfApproval',
      message: `${describeActor(request.actor)} cannot ${what}: it was requested by ${requester}, and no one approves their own exemption; ask a current holder of the accountable role or a governance admin.`,
    };
  }
  const unbound = unboundApproval(request);
  if (unbound !== undefined) return unbound;
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
 * namespace, where these rules hold all the same) and lasts at most the policy's maxExemption;
 * approving is {@link approve}, bound to the content approved, which then never changes.
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
    const problem = scope ?? approvedChanged(request) ?? tooLong(request);
    if (problem !== undefined) return problem;
    if (object.spec.approved && old?.spec.approved !== true) {
      const denied = approve(request);
      if (denied !== undefined) return denied;
      return authorized(request, `approve ${request.subject}`);
    }
    return authorized(request, `${old === undefined ? 'request' : 'change'} ${request.subject}`);
  });
