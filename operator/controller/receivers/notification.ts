import type { EscalationTrigger, ObjectReference, Severity } from '../../../api/index.js';

/** A person to reach, from the holders of a notified role. */
export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly user: string;
}

/** What a receiver is told at each step of an escalation. */
export interface Notification {
  /** `opened` (level 1 reached when it opened), `raised` (a higher level), `resolved`, `acknowledged`, or `refresh` (re-sent while open). */
  readonly event: 'opened' | 'raised' | 'resolved' | 'acknowledged' | 'refresh';
  readonly at: string;
  readonly escalation: {
    readonly namespace: string;
    readonly name: string;
    readonly trigger: EscalationTrigger;
    readonly severity: Severity;
    readonly level: number;
    readonly subject: ObjectReference;
    readonly capability: string | undefined;
    readonly accountableRole: string | undefined;
    readonly policy: string | undefined;
    readonly summary: string;
    readonly openedAt: string;
    readonly acknowledgedBy: string | undefined;
    readonly resolvedAt: string | undefined;
  };
  /** Roles notified at this step, with their current holders. */
  readonly notify: readonly { readonly role: string; readonly holders: readonly Contact[] }[];
}

/** Somewhere escalations are sent: Alertmanager, a JSON webhook. */
export interface Receiver {
  readonly name: string;
  send(notification: Notification): void;
  stop(): Promise<void>;
}
