import { LABEL_CAPABILITY } from '../../api/index.js';
import type { Chain, Verdict } from '../decision.js';
import { anchor } from './anchor.js';
import { boundaries } from './boundaries.js';
import { capability } from './capability.js';
import { delegation } from './delegation.js';
import { exemptNamespace } from './exempt-namespace.js';
import { exemption } from './exemption.js';
import { holders } from './holders.js';
import { role } from './role.js';
import { chainOf, runSteps, type ChainState, type Step } from './step.js';
import { suspended } from './suspended.js';

export type { ChainState } from './step.js';

/**
 * The anchor chain, in order: AI workload? exempt? anchored? capability there and not suspended?
 * role there and held by a person? delegation active? within the boundaries? The first step that
 * ends it decides (its reason code is stable API, see engine/reasons.ts).
 */
export const STEPS: readonly Step[] = [
  exemptNamespace,
  exemption,
  anchor,
  capability,
  suspended,
  role,
  holders,
  delegation,
  boundaries,
];

/**
 * The message of an anchored workload: its chain from capability to delegation. Built from the
 * chain alone, so that the audit need not keep it for each anchored workload (`findingMessage`).
 */
export function anchoredMessage(subject: string, chain: Chain): string {
  const delegated = chain.delegation
    ? ` → Delegation ${chain.delegation.name} to ServiceAccount ${chain.delegation.serviceAccount} until ${chain.delegation.validUntil}`
    : ' (the capability requires no delegation)';
  return `${subject} is anchored: capability ${chain.capability?.name ?? ''} → role ${chain.role ?? ''} (${(chain.holders ?? []).join(', ')})${delegated}.`;
}

function anchored(state: ChainState): Verdict {
  const chain = chainOf(state);
  const warnings = [...state.warnings];
  const { view } = state;
  if (view.builtIn && view.kind !== 'Pod' && !view.templateLabels.has(LABEL_CAPABILITY)) {
    warnings.push(
      `${state.subject} carries ${LABEL_CAPABILITY} but its pod template does not: add it to the template's labels so the Pods it creates are anchored too.`,
    );
  }
  return {
    reason: 'Anchored',
    message: anchoredMessage(state.subject, chain),
    warnings,
    chain,
  };
}

/** Runs the chain over an AI workload. */
export function runChain(initial: ChainState): Verdict {
  const result = runSteps(STEPS, initial);
  return 'verdict' in result ? result.verdict : anchored(result.next);
}
