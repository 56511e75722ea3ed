import type { EscalationTrigger, ObjectReference } from '../../api/index.js';

/** Labels the controller puts on the Escalations it owns. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_OOS = 'oos';
/** The hash of (namespace, trigger, subject, capability): every episode of one cause shares it. */
export const LABEL_ESCALATION_KEY = 'oos.dev/escalation-key';
/** 1 for the first escalation of a cause, 2 when the cause came back after it was resolved, ... */
export const LABEL_ESCALATION_EPISODE = 'oos.dev/escalation-episode';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, over the UTF-16 code units of `text`, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}

/** What identifies one cause of escalation. */
export interface EscalationIdentity {
  readonly namespace: string;
  readonly trigger: EscalationTrigger;
  readonly subject: ObjectReference;
  readonly capability?: string | undefined;
}

/** 12 hex digits that identify the cause: the escalation-key label, and the end of the name. */
export function escalationKey(identity: EscalationIdentity): string {
  const { namespace, trigger, subject, capability } = identity;
  return fnv1a64(
    [
      namespace,
      trigger,
      subject.apiVersion,
      subject.kind,
      subject.namespace ?? '',
      subject.name,
      capability ?? '',
    ].join('|'),
  ).slice(0, 12);
}

/** `DelegationExpired` → `delegation-expired`. */
export function kebab(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const READABLE_MAX = 200;

/**
 * The deterministic name of the first Escalation of a cause: the trigger and the subject, readable,
 * then the key so that names never collide (`delegation-expired-llm-serving-llm-0123456789ab`).
 * Names stay DNS-1123 subdomains of at most 213 characters.
 */
export function escalationBaseName(identity: EscalationIdentity): string {
  const readable = `${kebab(identity.trigger)}-${identity.subject.name.toLowerCase()}`
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, READABLE_MAX)
    .replace(/[^a-z0-9]+$/, '');
  return `${readable}-${escalationKey(identity)}`;
}

/** The name of the `episode`-th escalation of a cause (1: the base name). */
export function episodeName(base: string, episode: number): string {
  return episode <= 1 ? base : `${base}-${episode}`;
}

/** Whether the controller owns this Escalation, and the key of its cause. */
export function managedKey(escalation: {
  readonly metadata: { readonly labels?: Readonly<Record<string, string>> | undefined };
}): string | undefined {
  const labels = escalation.metadata.labels;
  if (labels?.[LABEL_MANAGED_BY] !== MANAGED_BY_OOS) return undefined;
  return labels[LABEL_ESCALATION_KEY];
}
