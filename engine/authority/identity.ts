import { SERVICE_ACCOUNT_USER_PREFIX, SYSTEM_PREFIX } from '../../api/index.js';
import type { Identity } from '../input.js';
import type { ResolvedPolicy } from '../policy.js';

/**
 * Who is asking. A human is any identity that is not a ServiceAccount, not a `system:` identity,
 * not a machine by group or by the policy's machineIdentities, and not a trusted applier: only
 * such a natural person holds a role, delegates, approves or acknowledges. Trusted appliers are recognised first, as they are usually ServiceAccounts (a
 * GitOps controller).
 */
export type ActorKind = 'Human' | 'ServiceAccount' | 'System' | 'Machine' | 'TrustedApplier';

export interface Actor {
  readonly username: string;
  readonly groups: readonly string[];
  readonly kind: ActorKind;
  /** A human listed (by user or group) in the policy's governanceAdmins. */
  readonly admin: boolean;
}

function isTrustedApplier(identity: Identity, policy: ResolvedPolicy): boolean {
  return (
    policy.applierUsers.has(identity.username) ||
    identity.groups.some((group) => policy.applierGroups.has(group))
  );
}

function kindOf(identity: Identity, policy: ResolvedPolicy): ActorKind {
  if (isTrustedApplier(identity, policy)) return 'TrustedApplier';
  if (identity.username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return 'ServiceAccount';
  if (identity.username.startsWith(SYSTEM_PREFIX) || identity.username === '') return 'System';
  if (
    policy.machineUsers.matches(identity.username) ||
    identity.groups.some((group) => policy.machineGroups.matches(group))
  ) {
    return 'Machine';
  }
  return 'Human';
}

export function classifyActor(identity: Identity, policy: ResolvedPolicy): Actor {
  const kind = kindOf(identity, policy);
  const admin =
    kind === 'Human' &&
    (policy.adminUsers.has(identity.username) ||
      identity.groups.some((group) => policy.adminGroups.has(group)));
  return { username: identity.username, groups: identity.groups, kind, admin };
}

/**
 * Whether a username may hold a role: a person, never a machine or a trusted applier. Only the
 * username is known here, so group-based machines are caught when they act, not when listed.
 */
export function isNaturalPerson(user: string, policy: ResolvedPolicy): boolean {
  return classifyActor({ username: user, groups: [] }, policy).kind === 'Human';
}

const KIND_WORDS: Record<ActorKind, string> = {
  Human: '',
  ServiceAccount: 'ServiceAccount ',
  System: 'system identity ',
  Machine: 'machine ',
  TrustedApplier: 'trusted applier ',
};

/** `ServiceAccount system:serviceaccount:ml:bot`, `alice`: how messages name the requester. */
export function describeActor(actor: Actor): string {
  return `${KIND_WORDS[actor.kind]}${actor.username === '' ? '(anonymous)' : actor.username}`;
}
