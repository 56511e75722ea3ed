import type { Staleness } from '../governance-source.js';
import type { Verdict } from './response.js';

/** What admission does with a decision made on governance older than `maxMs`. */
export interface StalenessPolicy {
  /** Governance whose watch has been interrupted longer than this is stale. */
  readonly maxMs: number;
  /**
   * `warn`: decide, and say so (an admission warning and an audit annotation). `deny`: also
   * refuse what it would allow on the strength of governance (an anchored or exempted AI
   * workload): a revoked Delegation or a suspension made since may not be in the cache.
   */
  readonly action: 'warn' | 'deny';
}

/**
 * The default: a watch the apiserver ends resumes within a second and an apiserver restart takes
 * seconds, so 30 s of interruption is a fault worth saying; decide, and say so.
 */
export const DEFAULT_STALENESS: StalenessPolicy = { maxMs: 30_000, action: 'warn' };

/** Reason of a refusal for stale governance (`--stale-governance deny`). */
export const STALE_REASON = 'GovernanceStale';

/** Decisions that rest on no governance object: stale governance cannot have changed them. */
const GOVERNANCE_FREE = new Set(['NotAIWorkload']);

/**
 * The verdict as given on governance last confirmed `ageMs` ago; `undefined` when it is not
 * stale. Every decision on stale governance says so; with `deny`, an allowed decision that rests
 * on governance is refused instead (fail closed), with the same sentence.
 */
export function staleVerdict(
  verdict: Verdict,
  stale: Staleness,
  now: number,
  policy: StalenessPolicy,
): Verdict | undefined {
  const ageMs = now - stale.since;
  if (ageMs <= policy.maxMs) return undefined;
  const seconds = Math.floor(ageMs / 1000);
  const sentence =
    `oos decided on governance last confirmed ${String(seconds)} s ago (its watch of ` +
    `${stale.kinds.join(', ')} is interrupted): changes since then are not reflected; ` +
    'see the operator log and oos_governance_staleness_seconds';
  const auditAnnotations = {
    ...verdict.auditAnnotations,
    staleGovernanceSeconds: String(seconds),
  };
  if (policy.action === 'deny' && verdict.allowed && !GOVERNANCE_FREE.has(verdict.reason ?? '')) {
    return {
      allowed: false,
      code: 503,
      reason: STALE_REASON,
      message: `${STALE_REASON}: ${sentence}; refused (--stale-governance deny), retry once it recovers`,
      auditAnnotations: { ...auditAnnotations, reason: STALE_REASON },
    };
  }
  return { ...verdict, warnings: [...(verdict.warnings ?? []), sentence], auditAnnotations };
}
