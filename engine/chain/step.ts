import type { Chain, Verdict } from '../decision.js';
import type { Signal } from '../detection/index.js';
import type { ReasonCode } from '../reasons.js';
import type {
  GovernanceSnapshot,
  IndexedCapability,
  IndexedDelegation,
  IndexedExemption,
  IndexedHolder,
  IndexedRole,
} from '../snapshot.js';
import { formatTime } from '../time.js';
import type { WorkloadView } from '../workload/view.js';

/** What the chain knows so far about one AI workload. */
export interface ChainState {
  readonly view: WorkloadView;
  readonly snapshot: GovernanceSnapshot;
  readonly now: number;
  readonly signals: readonly Signal[];
  /** `Deployment ml/vllm`: how messages name the workload. */
  readonly subject: string;
  readonly warnings: readonly string[];
  readonly capability?: IndexedCapability;
  readonly role?: IndexedRole;
  readonly holders?: readonly IndexedHolder[];
  /** The active delegation of the first ServiceAccount of the workload. */
  readonly delegation?: IndexedDelegation;
  readonly exemption?: IndexedExemption;
}

/**
 * A step either adds what it resolved to the state (the runner merges it in place, so no step
 * copies the state), or ends the chain with a verdict.
 */
export type StepResult = { readonly next: Partial<ChainState> } | { readonly verdict: Verdict };

/** One link of the anchor chain: it resolves part of the state, or ends the chain with a verdict, which decides. */
export type Step = (state: ChainState) => StepResult;

export function next(resolved: Partial<ChainState> = {}): StepResult {
  return { next: resolved };
}

/** The chain resolved so far, as a Decision reports it. */
export function chainOf(state: ChainState): Chain {
  const chain: {
    -readonly [K in keyof Chain]: Chain[K];
  } = {};
  if (state.capability) {
    chain.capability = { namespace: state.capability.namespace, name: state.capability.name };
  }
  if (state.role) chain.role = state.role.name;
  if (state.holders) chain.holders = state.holders.map((holder) => holder.user);
  if (state.delegation) {
    const { namespace, name, serviceAccount, validUntil, until } = state.delegation;
    chain.delegation = {
      namespace,
      name,
      serviceAccount,
      validUntil: validUntil ?? formatTime(until),
    };
  }
  if (state.exemption) {
    chain.exemption = { namespace: state.exemption.namespace, name: state.exemption.name };
  }
  return chain;
}

/** Ends the chain: the verdict carries the chain resolved so far. */
export function stop(
  state: ChainState,
  reason: ReasonCode,
  message: string,
  warnings: readonly string[] = state.warnings,
): StepResult {
  return { verdict: { reason, message, warnings, chain: chainOf(state) } };
}

/** Runs `steps` from `initial`, merging what each resolves; the last state, or the verdict. */
export function runSteps(
  steps: readonly Step[],
  initial: ChainState,
): { readonly next: ChainState } | { readonly verdict: Verdict } {
  // Every field present from the start, none copied by spread: Object.assign then never changes
  // the object's shape, which keeps this loop fast on V8.
  const state: { -readonly [K in keyof ChainState]: ChainState[K] } = {
    view: initial.view,
    snapshot: initial.snapshot,
    now: initial.now,
    signals: initial.signals,
    subject: initial.subject,
    warnings: initial.warnings,
    capability: initial.capability,
    role: initial.role,
    holders: initial.holders,
    delegation: initial.delegation,
    exemption: initial.exemption,
  };
  for (const step of steps) {
    const result = step(state);
    if ('verdict' in result) return result;
    Object.assign(state, result.next);
  }
  return { next: state };
}

/** `role credit-risk-officer (alice, bob)`: who can fix what the chain lacks. */
export function roleWithHolders(state: ChainState): string {
  const role = state.role?.name ?? state.capability?.capability.spec.accountableRole ?? '';
  const holders = state.holders ?? [];
  return holders.length === 0
    ? `role ${role}`
    : `role ${role} (${holders.map((h) => h.user).join(', ')})`;
}
