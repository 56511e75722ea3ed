import type { Verdict } from '../decision.js';
import { currentHolders, isCurrentHolder, isOperatorUser } from '../snapshot.js';
import { list } from '../text.js';
import { describeActor } from './identity.js';
import type { RawRequest } from './request.js';

/** Whether the requester is the oos operator itself (the snapshot knows its identity). */
export function isOperator(request: RawRequest): boolean {
  return isOperatorUser(request.snapshot, request.input.userInfo.username);
}

/** The request may go ahead. */
export function authorized(request: RawRequest, what: string): Verdict {
  return { reason: 'Authorized', message: `${describeActor(request.actor)} may ${what}.` };
}

/** Only a person may `what`; `who` says which person, and why a machine cannot. */
export function requireHuman(request: RawRequest, what: string, who: string): Verdict | undefined {
  if (request.actor.kind === 'Human') return undefined;
  const machine =
    request.actor.kind === 'TrustedApplier'
      ? 'trusted appliers apply governance objects but are never the person who answers for them'
      : 'a machine never holds accountability';
  return {
    reason: 'NotHuman',
    message: `${describeActor(request.actor)} cannot ${what}: ${machine}; ${who} must do it with their own credentials.`,
  };
}

function holdersOf(request: RawRequest, role: string): string {
  const found = request.snapshot.roles.get(role);
  const users = found === undefined ? [] : currentHolders(found, request.now).map((h) => h.user);
  return users.length === 0
    ? `role ${role}, which has no current holder`
    : `role ${role} (${list(users)})`;
}

/**
 * Only a current holder of one of `roles` (or, when `admins` is true, a governance admin) may
 * `what`. The roles must exist.
 */
export function requireHolder(
  request: RawRequest,
  roles: readonly string[],
  what: string,
  admins: boolean,
): Verdict | undefined {
  const { actor, snapshot, now } = request;
  const holder =
    roles.length === 0 ? '' : `a current holder of ${roles.map((r) => `role ${r}`).join(' or ')}`;
  const who = admins
    ? holder === ''
      ? 'a governance admin'
      : `${holder} or a governance admin`
    : holder;
  const human = requireHuman(request, what, who);
  if (human !== undefined) return human;
  if (admins && actor.admin) return undefined;
  if (roles.length === 0) {
    return {
      reason: 'NotRoleHolder',
      message: `${describeActor(actor)} cannot ${what}: no accountable role is known for it, so only a governance admin may.`,
    };
  }
  const known = roles.filter((role) => snapshot.roles.has(role));
  if (known.length === 0) {
    return {
      reason: 'AccountableRoleNotFound',
      message: `${describeActor(actor)} cannot ${what}: AccountableRole ${list(roles)} does not exist; create it with its human holders first.`,
    };
  }
  if (known.some((role) => isCurrentHolder(snapshot, role, actor.username, now))) return undefined;
  return {
    reason: 'NotRoleHolder',
    message: `${describeActor(actor)} cannot ${what}: only a current holder of ${known.map((role) => holdersOf(request, role)).join(' or ')}${admins ? ' or a governance admin' : ''} may.`,
  };
}
