import { currentHolders } from '../snapshot.js';
import { formatTime } from '../time.js';
import { next, stop, type Step } from './step.js';

/** The role must have a current human holder: someone whose attestation has not lapsed. */
export const holders: Step = (state) => {
  const found = state.role;
  if (found === undefined) return next();
  const current = currentHolders(found, state.now);
  if (current.length > 0) {
    return next({ holders: current });
  }
  const lapsed = found.holders[0];
  const why =
    lapsed === undefined
      ? 'has no holders'
      : `has no current holder (the last attestation, of ${lapsed.user}, lapsed at ${formatTime(lapsed.until)})`;
  return stop(
    state,
    'AccountabilityVacant',
    `AccountableRole ${found.name} of capability ${state.capability?.name ?? ''} ${why}: add a person as a holder, or renew a holder's attestedUntil, before its AI may run.`,
  );
};
