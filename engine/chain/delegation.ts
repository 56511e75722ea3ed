import type { DelegationState } from '../../api/index.js';
import type { ReasonCode } from '../reasons.js';
import { delegationKey, objectKey, type IndexedDelegation } from '../snapshot.js';
import { list } from '../text.js';
import { formatTime } from '../time.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../workload/pod.js';
import {
  next,
  roleWithHolders,
  stop,
  type ChainState,
  type Step,
  type StepResult,
} from './step.js';

/** Where a delegation stands at `now`: revoked wins, then expiry, then the start. */
export function delegationState(delegation: IndexedDelegation, now: number): DelegationState {
  if (delegation.revoked) return 'Revoked';
  if (delegation.until <= now) return 'Expired';
  if (delegation.from > now) return 'NotYetValid';
  return 'Active';
}

const FAILURES: Record<Exclude<DelegationState, 'Active'>, ReasonCode> = {
  Revoked: 'DelegationRevoked',
  Expired: 'DelegationExpired',
  NotYetValid: 'DelegationNotYetValid',
};

/** The ServiceAccounts the workload's pods run as (`default` when a pod names none). */
function serviceAccountsOf(state: ChainState): readonly string[] {
  const accounts = new Set(state.view.pods.map((pod) => pod.serviceAccount));
  return accounts.size === 0 ? [DEFAULT_SERVICE_ACCOUNT] : [...accounts];
}

function missing(state: ChainState, namespace: string, capability: string, account: string) {
  const others = (
    state.snapshot.delegatedServiceAccounts.get(objectKey(namespace, capability)) ?? []
  ).filter((name) => name !== account);
  const alternative =
    others.length === 0 ? '' : `, or run it as a ServiceAccount that has one (${list(others)})`;
  return stop(
    state,
    'DelegationMissing',
    `ServiceAccount ${namespace}/${account} has no Delegation of capability ${capability}: a current holder of ${roleWithHolders(state)} must create one for it${alternative}.`,
  );
}

function lapsed(
  state: ChainState,
  latest: IndexedDelegation,
  status: Exclude<DelegationState, 'Active'>,
) {
  const which = `Delegation ${latest.namespace}/${latest.name} of capability ${latest.capability} to ServiceAccount ${latest.serviceAccount}`;
  const who = `a current holder of ${roleWithHolders(state)}`;
  const messages = {
    Revoked: `${which} was revoked: ${who} must create a new Delegation if it should run again.`,
    Expired: `${which} expired at ${formatTime(latest.until)}: ${who} must create a new Delegation.`,
    NotYetValid: `${which} is valid only from ${formatTime(latest.from)}: wait until then, or have ${who} create one that starts now.`,
  };
  return stop(state, FAILURES[status], messages[status]);
}

/**
 * When the capability requires delegation (always for High risk), every ServiceAccount the
 * workload runs as needs an active Delegation of it. The latest one decides how a lapse is told.
 */
export const delegation: Step = (state): StepResult => {
  const found = state.capability;
  if (found === undefined) return next();
  const { spec } = found.capability;
  if (!spec.delegationRequired && spec.riskTier !== 'High') return next();
  let first: IndexedDelegation | undefined;
  for (const account of serviceAccountsOf(state)) {
    const candidates =
      state.snapshot.delegations.get(delegationKey(found.namespace, found.name, account)) ?? [];
    const active = candidates.find((d) => delegationState(d, state.now) === 'Active');
    if (active !== undefined) {
      first ??= active;
      continue;
    }
    const latest = candidates[0];
    if (latest === undefined) return missing(state, found.namespace, found.name, account);
    const status = delegationState(latest, state.now);
    if (status !== 'Active') return lapsed(state, latest, status);
  }
  return next({ delegation: first });
};
