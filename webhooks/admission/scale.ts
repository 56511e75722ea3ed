import type { AdmissionInput } from '../../engine/index.js';
import type { GovernanceSource, ScaleTargetRef } from '../governance-source.js';
import { parseAdmissionReview, type AdmissionRequest } from './review.js';

/** How long a scale request waits for the cache to catch up with the workload it scales. */
export const SCALE_TARGET_WAIT_MS = 1_000;

/** The workload a `scale` UPDATE targets, at the version the apiserver read (the old Scale's). */
export function scaleTargetRef(request: AdmissionRequest): ScaleTargetRef | undefined {
  if (request.subResource !== 'scale' || request.operation !== 'UPDATE') return undefined;
  if (request.resource === undefined || request.name === undefined) return undefined;
  const metadata = (request.oldObject as { metadata?: { resourceVersion?: unknown } } | undefined)
    ?.metadata;
  const resourceVersion =
    typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
  return {
    group: request.resource.group,
    resource: request.resource.resource,
    namespace: request.namespace ?? '',
    name: request.name,
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
  };
}

/** The engine's input for a scale request carries the cached workload it scales. */
export function withScaleTarget(
  input: AdmissionInput,
  request: AdmissionRequest,
  governance: GovernanceSource,
): AdmissionInput {
  const ref = scaleTargetRef(request);
  if (ref === undefined) return input;
  return { ...input, scaleTarget: governance.scaleTarget?.(ref) };
}

/**
 * Before a scale request is judged, waits (at most {@link SCALE_TARGET_WAIT_MS}) until the cache
 * holds the version of the workload the apiserver is scaling: a workload created or changed just
 * before reaches the watch a few milliseconds later. No API call is made.
 */
export async function awaitScaleTarget(body: unknown, governance: GovernanceSource): Promise<void> {
  const request = (body as { request?: { subResource?: unknown } } | null | undefined)?.request;
  if (governance.scaleTargetCaughtUp === undefined || request?.subResource !== 'scale') return;
  const parsed = parseAdmissionReview(body);
  const ref = parsed.ok ? scaleTargetRef(parsed.request) : undefined;
  if (ref !== undefined) await governance.scaleTargetCaughtUp(ref, SCALE_TARGET_WAIT_MS);
}
