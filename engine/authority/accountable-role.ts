import { accountableRoleSchema } from '../../api/index.js';
import { isNaturalPerson } from './identity.js';
import { authorized } from './checks.js';
import { withParsed, type KindRule } from './request.js';

/**
 * Role holders are natural persons only: never a ServiceAccount, a `system:` identity (the schema
 * refuses both) or a trusted applier. Who may edit a role is left to RBAC.
 */
export const authorizeAccountableRole: KindRule = (raw) =>
  withParsed(accountableRoleSchema, raw, (request) => {
    const machine = request.object.spec.holders.find(
      (holder) => !isNaturalPerson(holder.user, request.snapshot.policy),
    );
    if (machine !== undefined) {
      return {
        reason: 'HolderNotHuman',
        message: `holder ${machine.user} of ${request.subject} is a trusted applier, not a person: accountability is held by people only, so list the person's own username.`,
      };
    }
    return authorized(
      request,
      `${request.input.operation === 'CREATE' ? 'create' : 'change'} ${request.subject}`,
    );
  });
