/**
 * A Capability's `status.interactions` and its InteractionsAgreed condition, from the entries of
 * the interaction graph (engine/coordination). `since` is kept while an entry's state is the same,
 * like a condition's lastTransitionTime, so it says how long a side has waited.
 */
import type { InteractionState, InteractionStatus } from '../../api/index.js';
import type { InteractionEntry } from '../coordination/index.js';
import { parseTime } from '../time.js';
import { formatSeconds, type ConditionSpec } from './conditions.js';

/** The condition that sums up a capability's declared interactions (present when it declares any). */
export const CONDITION_INTERACTIONS_AGREED = 'InteractionsAgreed';

/** The order in which a non-agreed state names the condition's reason: the most pressing first. */
const PRESSING: readonly InteractionState[] = [
  'Forbidden',
  'PeerNotFound',
  'PortsNotAccepted',
  'WaitingForPeer',
];

const entryId = (e: { readonly direction: string; readonly peer: string }) =>
  `${e.direction} ${e.peer}`;

/**
 * The status entries of `entries`, each with the `since` of the stored entry of the same
 * direction and peer while its state is unchanged (never later than `now`), else `now`.
 */
export function interactionStatuses(
  entries: readonly InteractionEntry[],
  stored: readonly InteractionStatus[] | undefined,
  now: number,
): InteractionStatus[] {
  const before = new Map((stored ?? []).map((e) => [entryId(e), e] as const));
  return entries.map((entry) => {
    const previous = before.get(entryId(entry));
    const kept = previous?.state === entry.state ? parseTime(previous.since) : undefined;
    return {
      direction: entry.direction,
      peer: entry.peer,
      state: entry.state,
      since: formatSeconds(kept === undefined || kept > now ? now : kept),
      message: entry.message.length <= 1024 ? entry.message : `${entry.message.slice(0, 1023)}…`,
    };
  });
}

/** InteractionsAgreed: True when every declared interaction is agreed, else the most pressing state. */
export function interactionsCondition(entries: readonly InteractionEntry[]): ConditionSpec {
  const open = entries.filter((e) => e.state !== 'Agreed');
  const count = (n: number) => `${String(n)} interaction${n === 1 ? '' : 's'}`;
  if (open.length === 0) {
    return {
      type: CONDITION_INTERACTIONS_AGREED,
      status: 'True',
      reason: 'AllAgreed',
      message: `${count(entries.length)} declared, all agreed.`,
    };
  }
  const state = PRESSING.find((s) => open.some((e) => e.state === s)) ?? 'WaitingForPeer';
  const first = open.find((e) => e.state === state);
  return {
    type: CONDITION_INTERACTIONS_AGREED,
    status: 'False',
    reason: state,
    message: `${count(open.length)} of ${String(entries.length)} not agreed (see status.interactions); ${first?.direction ?? ''} ${first?.peer ?? ''}: ${first?.message ?? ''}.`,
  };
}

/** When a stored entry started to wait, for the InteractionPending trigger (epoch ms). */
export function waitingSince(
  statuses: readonly InteractionStatus[] | undefined,
  direction: 'Calls' | 'AcceptsFrom',
  peer: string,
): number | undefined {
  const found = statuses?.find((e) => e.direction === direction && e.peer === peer);
  return found === undefined ? undefined : parseTime(found.since);
}
