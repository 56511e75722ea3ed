import type { EnforcementMode } from '../api/index.js';
import type { ReasonCode } from './reasons.js';

/** The accountability chain a decision resolved: capability → role → current holders → delegation. */
export interface Chain {
  readonly capability?: { readonly namespace: string; readonly name: string };
  readonly role?: string;
  /** Usernames of the role's current holders at decision time. */
  readonly holders?: readonly string[];
  readonly delegation?: {
    readonly namespace: string;
    readonly name: string;
    readonly serviceAccount: string;
    readonly validUntil: string;
  };
  readonly exemption?: { readonly namespace: string; readonly name: string };
}

/** The answer to "may this object enter the cluster, and why". */
export interface Decision {
  readonly allowed: boolean;
  /** Stable code (see reasons.ts and docs/rules.md). */
  readonly reason: ReasonCode;
  /** One sentence: what is missing and how to fix it (or why it is allowed). */
  readonly message: string;
  /** Admission warnings (kubectl prints them). */
  readonly warnings: readonly string[];
  /** Audit annotations, keys without the webhook's prefix: capability, role, delegation, reason… */
  readonly auditAnnotations: Readonly<Record<string, string>>;
  /** The enforcement mode that applied (always Enforce for changes to the oos kinds). */
  readonly mode: EnforcementMode;
  readonly chain: Chain;
  /** Why the object is an AI workload (empty when it is not one, or for oos kinds). */
  readonly detection: readonly string[];
}

/** What a rule concludes, before the enforcement mode and the audit annotations are applied. */
export interface Verdict {
  readonly reason: ReasonCode;
  readonly message: string;
  readonly warnings?: readonly string[];
  readonly chain?: Chain;
}

/** The audit annotations of a decision: the chain it resolved, the reason and the mode. */
export function auditAnnotations(
  reason: ReasonCode,
  mode: EnforcementMode,
  chain: Chain,
  message?: string,
): Record<string, string> {
  const annotations: Record<string, string> = { reason, mode };
  if (chain.capability) annotations.capability = chain.capability.name;
  if (chain.role !== undefined) annotations.role = chain.role;
  if (chain.delegation) annotations.delegation = chain.delegation.name;
  if (chain.exemption) annotations.exemption = chain.exemption.name;
  if (message !== undefined) annotations.message = message;
  return annotations;
}

/** A decision that is not subject to the enforcement mode: `allowed` says it all. */
export function settled(
  allowed: boolean,
  verdict: Verdict,
  mode: EnforcementMode,
  detection: readonly string[] = [],
): Decision {
  const chain = verdict.chain ?? {};
  return {
    allowed,
    reason: verdict.reason,
    message: verdict.message,
    warnings: verdict.warnings ?? [],
    auditAnnotations: auditAnnotations(verdict.reason, mode, chain),
    mode,
    chain,
    detection,
  };
}

/**
 * A failed accountability chain under the namespace's mode: Enforce denies; Warn admits and
 * returns the message as a warning; Audit admits silently and records the message in the audit
 * annotations.
 */
export function enforced(
  verdict: Verdict,
  mode: EnforcementMode,
  detection: readonly string[],
): Decision {
  const chain = verdict.chain ?? {};
  const warnings = [...(mode === 'Warn' ? [verdict.message] : []), ...(verdict.warnings ?? [])];
  return {
    allowed: mode !== 'Enforce',
    reason: verdict.reason,
    message: verdict.message,
    warnings: mode === 'Audit' ? [] : warnings,
    auditAnnotations: auditAnnotations(
      verdict.reason,
      mode,
      chain,
      mode === 'Audit' ? verdict.message : undefined,
    ),
    mode,
    chain,
    detection,
  };
}
