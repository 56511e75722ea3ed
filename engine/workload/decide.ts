import { runChain } from '../chain/index.js';
import { enforced, settled, type Decision } from '../decision.js';
import { detect } from '../detection/index.js';
import type { AdmissionInput } from '../input.js';
import { isRecord, stringAt } from '../json.js';
import { enforcementMode } from '../policy.js';
import { CHAIN_FAILURES } from '../reasons.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { judgedUpdate } from './change.js';
import { judgedRequest } from './request.js';
import { forgedState } from './state.js';
import { describeObject, readWorkload, structuralProblem } from './view.js';

/**
 * The admission decision for a workload: detection, then the anchor chain, under the enforcement
 * mode of its namespace. An ephemeral container is judged as an UPDATE of its Pod, a scale as an
 * UPDATE of the workload it scales (see request.ts); deletes, other subresources and objects being
 * deleted are never judged (a finalizer must always be removable). The state oos keeps on
 * workloads is the operator's alone (state.ts).
 */
export function decideWorkload(
  request: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: number,
): Decision {
  const requested = describeObject(
    request.kind.kind,
    request.namespace,
    request.name ?? stringAt(request.object, 'metadata', 'name'),
  );
  const mode = enforcementMode(snapshot.policy, request.namespace, request.namespaceLabels);
  const judged = judgedRequest(request, requested);
  if ('allow' in judged) return settled(true, judged.allow, mode);
  if ('refuse' in judged) return settled(false, judged.refuse, 'Enforce');
  const input = judged.judge;
  const object = input.object;
  const subject = describeObject(
    input.kind.kind,
    input.namespace,
    input.name ?? stringAt(object, 'metadata', 'name'),
  );
  if (!isRecord(object)) {
    return settled(
      false,
      {
        reason: 'InvalidObject',
        message: `the ${input.operation} request for ${subject} carries no readable object: send the object as a JSON object.`,
      },
      mode,
    );
  }
  const forged = forgedState(input, object, snapshot, subject);
  if (forged !== undefined) return settled(false, forged, 'Enforce');
  if (
    input.operation === 'UPDATE' &&
    stringAt(object, 'metadata', 'deletionTimestamp') !== undefined
  ) {
    return settled(
      true,
      {
        reason: 'NotGoverned',
        message: `${subject} is being deleted; oos does not judge its last updates.`,
      },
      mode,
    );
  }
  if (input.operation === 'UPDATE' && !judgedUpdate(input.oldObject, object)) {
    return settled(
      true,
      {
        reason: 'NotGoverned',
        message: `this update of ${subject} changes neither its spec nor its labels, or only scales it down, so oos does not judge it.`,
      },
      mode,
    );
  }
  const problem = structuralProblem(object, input.kind);
  if (problem !== undefined) {
    return settled(
      false,
      {
        reason: 'InvalidObject',
        message: `${subject} cannot be read (${problem}): fix the manifest and apply it again.`,
      },
      mode,
    );
  }
  const view = readWorkload(object, input.kind, input.namespace, input.name);
  if (view.limit !== undefined) {
    return settled(
      false,
      {
        reason: 'ObjectTooComplex',
        message: `oos cannot read all of ${subject} (${view.limit}), so it cannot tell whether it is an AI workload: simplify the object.`,
      },
      mode,
    );
  }
  const { workload, ai, signals } = detect(view, snapshot.policy.detection, snapshot.devices);
  const reasons = signals.map((signal) => signal.reason);
  if (!ai) {
    const why = workload
      ? 'no detection signal matched'
      : 'oos governs Pods, pod controllers and AI kinds only';
    return settled(
      true,
      { reason: 'NotAIWorkload', message: `${subject} is not an AI workload: ${why}.` },
      mode,
    );
  }
  const verdict = runChain({
    view,
    snapshot,
    now,
    signals,
    subject: describeObject(view.kind, view.namespace, view.name),
    warnings: [],
  });
  return CHAIN_FAILURES.has(verdict.reason)
    ? enforced(verdict, mode, reasons)
    : settled(true, verdict, mode, reasons);
}
