import { accountableRoleSchema, type AccountableRole } from '../../api/index.js';
import type { Verdict } from '../decision.js';
import { sameJson } from '../json.js';
import { describeActor, isNaturalPerson } from './identity.js';
import { authorized } from './checks.js';
import { requireGovernor } from './operating-model.js';
import { withParsed, type GovernanceRequest, type KindRule } from './request.js';

type Holder = AccountableRole['spec']['holders'][number];

function entryOf(role: AccountableRole | undefined, user: string): Holder | undefined {
  return role?.spec.holders.find((holder) => holder.user === user);
}

/** Nobody appoints themselves: a person may not add or change their own holder entry. */
function selfAppointed(request: GovernanceRequest<AccountableRole>): Verdict | undefined {
  const user = request.actor.username;
  const mine = entryOf(request.object, user);
  if (mine === undefined || sameJson(mine, entryOf(request.old, user))) return undefined;
  return {
    reason: 'SelfAppointment',
    message: `${describeActor(request.actor)} cannot ${entryOf(request.old, user) === undefined ? 'add themselves as a holder of' : 'change their own holder entry (attestation) of'} ${request.subject}: accountability is appointed, not self-assigned, so another governance admin or a trusted applier (GitOps) must do it.`,
  };
}

/**
 * Role holders are natural persons only: never a ServiceAccount, a `system:` identity (the schema
 * refuses both), a machine the policy names or a trusted applier. Creating a role or changing
 * its spec is for governance admins and trusted appliers, and nobody appoints themselves.
 */
export const authorizeAccountableRole: KindRule = (raw) =>
  withParsed(accountableRoleSchema, raw, (request) => {
    const machine = request.object.spec.holders.find(
      (holder) => !isNaturalPerson(holder.user, request.snapshot.policy),
    );
    if (machine !== undefined) {
      return {
        reason: 'HolderNotHuman',
        message: `holder ${machine.user} of ${request.subject} is a trusted applier or a machine the GovernancePolicy names, not a person: accountability is held by people only, so list the person's own username.`,
      };
    }
    const what = `${request.old === undefined ? 'create' : 'change'} ${request.subject}`;
    if (request.old !== undefined && sameJson(request.old.spec, request.object.spec)) {
      return authorized(request, what);
    }
    const denied = requireGovernor(request, what) ?? selfAppointed(request);
    return denied ?? authorized(request, what);
  });
