import { next, stop, type Step } from './step.js';

/** The capability's accountable role must exist. */
export const role: Step = (state) => {
  const found = state.capability;
  if (found === undefined) return next();
  const name = found.capability.spec.accountableRole;
  const indexed = state.snapshot.roles.get(name);
  if (indexed !== undefined) return next({ role: indexed });
  return stop(
    state,
    'AccountableRoleNotFound',
    `Capability ${found.namespace}/${found.name} is anchored to AccountableRole ${name}, which does not exist: create that role with a current human holder, or have a governance admin point spec.accountableRole at an existing role.`,
  );
};
