import type { Verdict } from '../decision.js';
import { at, stringAt } from '../json.js';
import { formatTime, parseTime } from '../time.js';
import { authorized, isOperator, requireHolder } from './checks.js';
import { describeActor } from './identity.js';
import { requireGovernor } from './operating-model.js';
import type { RawRequest } from './request.js';

/**
 * Who may DELETE an oos object. Escalations, Delegations and Exemptions are the accountability
 * record (who was pulled in, who granted, who approved): deleting one erases that evidence, and
 * deleting and recreating one rewrites it. The operator deletes them when their retention ends;
 * everyone may once it has passed; and everything goes when its namespace is deleted (the
 * namespace controller must be able to empty a terminating namespace). A suspended Capability
 * is the stop button pressed: deleting it is resuming, so it needs the same authority. The
 * operating model (the GovernancePolicy, AccountableRoles) is deleted by whom may change it.
 * Anything else (EscalationPolicies, active Capabilities) is left to RBAC.
 */
export function authorizeDeletion(request: RawRequest): Verdict {
  const rule = DELETION_RULES[request.kind];
  if (rule === undefined) return leftToRbac(request);
  if (isOperator(request)) return authorized(request, `delete ${request.subject}`);
  if (request.input.namespaceTerminating === true) {
    return {
      reason: 'Authorized',
      message: `${request.subject} goes with its namespace, which is being deleted.`,
    };
  }
  return rule(request);
}

type DeletionRule = (request: RawRequest) => Verdict;

/** The operating model is appointed: removing a piece of it needs who may change it. */
const governed: DeletionRule = (request) => {
  const what = `delete ${request.subject}`;
  return requireGovernor(request, what) ?? authorized(request, what);
};

const DELETION_RULES: Readonly<Record<string, DeletionRule>> = {
  // Deleting the GovernancePolicy drops its detection lists, limits and machine identities;
  // deleting a role re-points nothing but makes its capabilities fail (stricter), yet who holds
  // accountability is appointed either way.
  GovernancePolicy: governed,
  AccountableRole: governed,
  Escalation: (request) =>
    retained(request, 'only the oos operator deletes it, when its retention ends'),
  Delegation: (request) =>
    afterRetention(
      request,
      stringAt(stored(request), 'spec', 'validUntil'),
      'revoke it instead (spec.revoked: true): revoking stops it and keeps the record',
    ),
  Exemption: (request) => {
    const spec = at(stored(request), 'spec');
    const approved = at(spec, 'approved') === true || stringAt(spec, 'approvedBy') !== undefined;
    if (!approved)
      return authorized(request, `withdraw ${request.subject}, which was never approved`);
    return afterRetention(
      request,
      stringAt(spec, 'expiresAt'),
      'it stops having effect at its expiresAt',
    );
  },
  Capability: (request) => {
    if (at(stored(request), 'spec', 'suspend') !== true) return leftToRbac(request);
    const role = stringAt(stored(request), 'spec', 'accountableRole');
    const what = `delete ${request.subject}, which is suspended (deleting it would release its workloads as resuming would)`;
    return (
      requireHolder(request, role === undefined ? [] : [role], what, true) ??
      authorized(request, what)
    );
  },
};

function stored(request: RawRequest): unknown {
  return request.input.oldObject;
}

function leftToRbac(request: RawRequest): Verdict {
  return {
    reason: 'NotGoverned',
    message: `DELETE of ${request.subject} is left to RBAC.`,
  };
}

function retained(request: RawRequest, why: string): Verdict {
  return {
    reason: 'EvidenceRetained',
    message: `${describeActor(request.actor)} cannot delete ${request.subject}: it is part of the accountability record, so ${why}.`,
  };
}

/** An ended record may be deleted by anyone once the policy's evidenceRetention has passed. */
function afterRetention(request: RawRequest, end: string | undefined, instead: string): Verdict {
  const ended = parseTime(end);
  const retention = request.snapshot.policy.evidenceRetentionMs;
  if (ended !== undefined && ended + retention <= request.now) {
    return authorized(request, `delete ${request.subject}: its evidence retention has passed`);
  }
  const until =
    ended === undefined
      ? 'the oos operator deletes it'
      : `it may be deleted from ${formatTime(ended + retention)} (the GovernancePolicy evidenceRetention after its end)`;
  return retained(request, `${until}; ${instead}`);
}
