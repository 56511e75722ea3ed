import {
  ESCALATION_IDENTIFYING_FIELDS,
  escalationSchema,
  type Escalation,
} from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { objectKey } from '../snapshot.js';
import { authorized, requireHolder } from './checks.js';
import { escalationRecordChange } from './escalation-record.js';
import { withParsed, type GovernanceRequest, type KindRule } from './request.js';

/** The escalation as stored (on UPDATE): authority is read from it, never from the request. */
function stored(request: GovernanceRequest<Escalation>): Escalation {
  return request.old ?? request.object;
}

/** The accountable role of the escalation: its own, else its capability's. */
function accountableRole(request: GovernanceRequest<Escalation>): string | undefined {
  const { spec } = stored(request);
  if (spec.accountableRole !== undefined) return spec.accountableRole;
  if (spec.capability === undefined) return undefined;
  const key = objectKey(request.namespace ?? '', spec.capability);
  return request.snapshot.capabilities.get(key)?.capability.spec.accountableRole;
}

/** Roles notified at the escalation's current level (from the stored status when there is one). */
function notifiedRoles(
  request: GovernanceRequest<Escalation>,
  accountable: string | undefined,
): string[] {
  const level = stored(request).status?.level ?? 0;
  const policyName = stored(request).spec.policy;
  if (level < 1 || policyName === undefined) return [];
  const policy = request.snapshot.escalationPolicies.get(
    objectKey(request.namespace ?? '', policyName),
  );
  const current = policy?.spec.levels[level - 1];
  if (current === undefined) return [];
  const roles = [...(current.roles ?? [])];
  if (current.notifyAccountableRole && accountable !== undefined) roles.push(accountable);
  return roles;
}

/** The fields that decide who answers for the escalation never change (the CRD says so too). */
function identifyingChange(request: GovernanceRequest<Escalation>): Verdict | undefined {
  const { old, object } = request;
  if (old === undefined) return undefined;
  const changed = ESCALATION_IDENTIFYING_FIELDS.filter((key) => old.spec[key] !== object.spec[key]);
  if (changed.length === 0) return undefined;
  return {
    reason: 'IdentifyingFieldChanged',
    message: `${request.subject} cannot change spec.${changed.join(', spec.')}: they decide who answers for the escalation and who may acknowledge it, and are set once by the oos controller.`,
  };
}

/**
 * Acknowledging an escalation is for a person: a current holder of a role notified at its current
 * level, or of the accountable role, or a governance admin, all read from the stored escalation.
 * Its identifying fields never change, and everything else of it is the controller's
 * (escalation-record.ts).
 */
export const authorizeEscalation: KindRule = (raw) =>
  withParsed(escalationSchema, raw, (request) => {
    const changed = identifyingChange(request) ?? escalationRecordChange(request);
    if (changed !== undefined) return changed;
    const acknowledging =
      request.object.spec.acknowledged && request.old?.spec.acknowledged !== true;
    if (!acknowledging) {
      return authorized(
        request,
        `${request.old === undefined ? 'open' : 'change'} ${request.subject}`,
      );
    }
    const accountable = accountableRole(request);
    const roles = [
      ...new Set([
        ...(accountable === undefined ? [] : [accountable]),
        ...notifiedRoles(request, accountable),
      ]),
    ];
    const what = `acknowledge ${request.subject}`;
    const denied = requireHolder(request, roles, what, true);
    return denied ?? authorized(request, what);
  });
