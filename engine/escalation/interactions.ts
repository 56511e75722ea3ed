/**
 * The coordination layer's triggers: InteractionPending (one side of an edge has declared it for
 * longer than the GovernancePolicy's `coordination.maxPending` and the other side has not
 * answered) and NetworkPolicyTampered (someone else changed or deleted a NetworkPolicy oos owns,
 * and oos wrote it back). Like the others, each returns its causes with the instant they next
 * change by the clock alone.
 */
import { formatTime } from '../time.js';
import { objectKey, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';
import { reference, Trigger, type Triggered } from './causes.js';

/** How long a repair keeps its NetworkPolicyTampered escalation open (then it resolves). */
export const TAMPER_WINDOW_MS = 24 * 3_600_000;

/** A capability, by namespace and name. */
export interface CapabilityRef {
  readonly namespace: string;
  readonly name: string;
}

/** One side of an edge declared, the other not (yet). */
export interface PendingInteraction {
  /** The capability that declared the edge, and waits. */
  readonly declaredBy: CapabilityRef;
  /** The capability whose accountable role must answer: declare its side, or refuse it. */
  readonly answeredBy: CapabilityRef;
  /** Calls: `declaredBy` calls `answeredBy`; AcceptsFrom: `declaredBy` accepts calls from it. */
  readonly direction: 'Calls' | 'AcceptsFrom';
  /** Since when `declaredBy` has waited (epoch ms). */
  readonly since: number;
}

/** A policy oos repaired, as the policy records it. */
export interface Tampering {
  readonly namespace: string;
  readonly capability: string;
  /** Name of the NetworkPolicy. */
  readonly policy: string;
  readonly at: number;
  readonly cause: 'changed' | 'deleted';
}

const ref = (c: CapabilityRef): string => `${c.namespace}/${c.name}`;

/**
 * InteractionPending of the edges between one waiting capability and the one that must answer
 * (both directions in one escalation: one key per pair), open once the oldest has waited
 * `maxPendingMs`; resolved when each is agreed or withdrawn (it is then no longer pending).
 */
export function pendingTrigger(
  snapshot: GovernanceSnapshot,
  pending: readonly PendingInteraction[],
  maxPendingMs: number,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
  const first = pending[0];
  if (first === undefined) return causes.done();
  const { declaredBy, answeredBy } = first;
  const answering = snapshot.capabilities.get(objectKey(answeredBy.namespace, answeredBy.name));
  // A peer that does not exist has no role to ask (its state is PeerNotFound, never pending).
  if (answering === undefined) return causes.done();
  const due = pending.filter((p) => p.since + maxPendingMs <= now);
  for (const p of pending) causes.changesAt(p.since + maxPendingMs);
  if (due.length === 0) return causes.done();
  const role = answering.capability.spec.accountableRole;
  const what = due.map((p) =>
    p.direction === 'Calls'
      ? `that it calls ${ref(answeredBy)} (since ${formatTime(p.since)}), which does not accept it: add ${ref(declaredBy)} to spec.interactions.acceptsFrom of ${ref(answeredBy)} with the ports it calls`
      : `that it accepts calls from ${ref(answeredBy)} (since ${formatTime(p.since)}), which does not call it: add ${ref(declaredBy)} to spec.interactions.calls of ${ref(answeredBy)}`,
  );
  causes.add(
    answeredBy.namespace,
    answering,
    'InteractionPending',
    reference('Capability', declaredBy.namespace, declaredBy.name),
    `Capability ${ref(declaredBy)} has declared ${list(what)}; that is longer than the GovernancePolicy's coordination.maxPending. A current holder of role ${role} must answer: declare that side, or ask the role of ${ref(declaredBy)} to withdraw it.`,
  );
  return causes.done();
}

/** NetworkPolicyTampered of one repaired policy, open for {@link TAMPER_WINDOW_MS} after the repair. */
export function tamperTrigger(
  snapshot: GovernanceSnapshot,
  tampering: Tampering,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
  const capability = snapshot.capabilities.get(
    objectKey(tampering.namespace, tampering.capability),
  );
  const until = tampering.at + TAMPER_WINDOW_MS;
  causes.changesAt(until);
  if (capability === undefined || until <= now) return causes.done();
  const did = tampering.cause === 'deleted' ? 'deleted' : 'changed';
  causes.add(
    tampering.namespace,
    capability,
    'NetworkPolicyTampered',
    reference('NetworkPolicy', tampering.namespace, tampering.policy, 'networking.k8s.io/v1'),
    `Someone other than oos ${did} NetworkPolicy ${tampering.namespace}/${tampering.policy}, which isolates the Pods of capability ${tampering.namespace}/${tampering.capability} (posture Closed); oos wrote it back at ${formatTime(tampering.at)}. Until then its Pods may have reached, or been reached by, what the agreed interactions do not allow: find the writer in the apiserver audit log and take networkpolicies write rights away from whoever should not have them.`,
  );
  return causes.done();
}

/** The pending interactions grouped by (waiting, answering) pair, one trigger each. */
export function pendingByPair(
  pending: Iterable<PendingInteraction>,
): Map<string, PendingInteraction[]> {
  const pairs = new Map<string, PendingInteraction[]>();
  for (const p of pending) {
    const id = `${ref(p.declaredBy)}>${ref(p.answeredBy)}`;
    const found = pairs.get(id);
    if (found === undefined) pairs.set(id, [p]);
    else found.push(p);
  }
  return pairs;
}
