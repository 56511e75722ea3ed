import { capabilitySchema } from '../../api/index.js';
import { changedExcept } from '../json.js';
import { authorized, requireHolder } from './checks.js';
import { capabilityKey, checkInteractions, describeInteractionChange } from './interactions.js';
import { withParsed, type KindRule } from './request.js';

/**
 * The stop button and the stamps: anyone RBAC allows may press stop. `stopAction` (what the stop
 * does) is not among them: weakening it is a change of the capability like any other.
 */
const STOP_FIELDS = ['suspend', 'suspendReason', 'suspendedBy', 'resumedBy'];

/**
 * Defining or changing what a capability allows, or assigning its accountable role, needs a
 * current holder of that role, a governance admin, or a trusted applier (GitOps, on behalf of the
 * people who reviewed the change). That includes its stopAction and its interactions (each side
 * of an edge is its own capability's spec, so each role consents for its side). Suspending is
 * open to anyone; resuming needs a current holder or a governance admin. Then, for everyone, the
 * coordination rules of the GovernancePolicy (engine/authority/interactions.ts).
 */
export const authorizeCapability: KindRule = (raw) =>
  withParsed(capabilitySchema, raw, (request) => {
    const { spec } = request.object;
    const old = request.old?.spec;
    const role = spec.accountableRole;
    if (old === undefined || changedExcept(old, spec, STOP_FIELDS)) {
      const what =
        old === undefined
          ? `create ${request.subject} anchored to AccountableRole ${role}`
          : old.accountableRole !== role
            ? `assign AccountableRole ${role} to ${request.subject}`
            : old.stopAction !== spec.stopAction
              ? `change the stopAction of ${request.subject} to ${spec.stopAction}`
              : (describeInteractionChange(old, spec, capabilityKey(request)) ??
                `change ${request.subject}`);
      if (request.actor.kind !== 'TrustedApplier') {
        const denied = requireHolder(request, [role], what, true);
        if (denied !== undefined) return denied;
      }
    }
    if (old?.suspend === true && !spec.suspend) {
      const denied = requireHolder(request, [role], `resume ${request.subject}`, true);
      if (denied !== undefined) return denied;
    }
    const coordination = checkInteractions(request);
    if (coordination !== undefined) return coordination;
    return authorized(request, `${old === undefined ? 'create' : 'change'} ${request.subject}`);
  });
