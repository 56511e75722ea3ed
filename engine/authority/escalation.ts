import { escalationSchema, type Escalation } from '../../api/index.js';
import { objectKey } from '../snapshot.js';
import { authorized, requireHolder } from './checks.js';
import { withParsed, type GovernanceRequest, type KindRule } from './request.js';

/** The accountable role of the escalation: its own, else its capability's. */
function accountableRole(request: GovernanceRequest<Escalation>): string | undefined {
  const { spec } = request.object;
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
  const level = (request.old ?? request.object).status?.level ?? 0;
  const policyName = request.object.spec.policy;
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

/**
 * Acknowledging an escalation is for a person: a current holder of a role notified at its current
 * level, or of the accountable role, or a governance admin. Everything else (the controller opening
 * and advancing escalations) is left to RBAC.
 */
export const authorizeEscalation: KindRule = (raw) =>
  withParsed(escalationSchema, raw, (request) => {
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
