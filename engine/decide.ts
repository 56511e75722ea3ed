import { GROUP } from '../api/index.js';
import {
  decideGovernance,
  decideNamespace,
  governanceStampPatch,
  isNamespaceRequest,
} from './authority/index.js';
import { settled, type Decision } from './decision.js';
import { detect } from './detection/index.js';
import type { AdmissionInput, JsonPatchOperation } from './input.js';
import { isRecord } from './json.js';
import { decideNetworkPolicy, isNetworkPolicyRequest } from './network-policy/index.js';
import type { GovernanceSnapshot } from './snapshot.js';
import { decideWorkload } from './workload/decide.js';
import { kindOfObject, readWorkload } from './workload/view.js';

function instant(now: Date): number {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new RangeError('the decision time is not a valid date');
  return ms;
}

/** {@link decide} without the safety net: throws on a bug (the property tests call this one). */
export function evaluate(input: AdmissionInput, snapshot: GovernanceSnapshot, now: Date): Decision {
  const ms = instant(now);
  if (input.kind.group === GROUP) return decideGovernance(input, snapshot, ms);
  if (isNamespaceRequest(input)) return decideNamespace(input, snapshot);
  if (isNetworkPolicyRequest(input)) return decideNetworkPolicy(input, snapshot);
  return decideWorkload(input, snapshot, ms);
}

/**
 * Whether an object may enter the cluster, and why: workloads through detection and the anchor
 * chain, the oos kinds through the authority rules, Namespaces and NetworkPolicies through
 * theirs. Never throws: anything unexpected fails
 * closed with `InvalidObject`.
 */
export function decide(input: AdmissionInput, snapshot: GovernanceSnapshot, now: Date): Decision {
  try {
    return evaluate(input, snapshot, now);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // A stack overflow comes from the object's shape (a hostile nesting), not from a bug in oos.
    const tooDeep = error instanceof RangeError && /call stack/i.test(why);
    return settled(
      false,
      {
        reason: 'InvalidObject',
        message: tooDeep
          ? `${input.kind.kind} ${input.name ?? ''} is nested too deeply for oos to read: no Kubernetes object needs that many levels, so flatten it and apply it again.`
          : `oos could not evaluate ${input.kind.kind} ${input.name ?? ''} (${why}): fix the object, or report this to the oos maintainers if it is valid.`,
      },
      'Enforce',
    );
  }
}

/** The JSON Patch the mutating webhook applies (stamps on the oos kinds; [] for everything else). */
export function stampPatch(
  input: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: Date,
): readonly JsonPatchOperation[] {
  if (input.kind.group !== GROUP) return [];
  try {
    return governanceStampPatch(input, snapshot, instant(now));
  } catch {
    return [];
  }
}

/** Whether an object is an AI workload under the snapshot's detection lists, and why. */
export function isAIWorkload(
  object: unknown,
  snapshot: GovernanceSnapshot,
): { readonly ai: boolean; readonly reasons: readonly string[] } {
  const kind = kindOfObject(object);
  if (kind === undefined || !isRecord(object) || kind.group === GROUP)
    return { ai: false, reasons: [] };
  const { ai, signals } = detect(
    readWorkload(object, kind, undefined, undefined),
    snapshot.policy.detection,
    snapshot.devices,
  );
  return { ai, reasons: signals.map((signal) => signal.reason) };
}
