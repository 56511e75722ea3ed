import type { Verdict } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { field, isRecord, numberAt, stringAt } from '../json.js';
import { kindOfObject } from './view.js';

/**
 * What oos judges of one admission request on a workload:
 *  - `judge`: the request to run through detection and the chain;
 *  - `allow`: nothing to judge (`NotGoverned`);
 *  - `refuse`: it cannot be judged, so it is refused (failing closed).
 */
export type JudgedRequest =
  { readonly judge: AdmissionInput } | { readonly allow: Verdict } | { readonly refuse: Verdict };

function notGoverned(input: AdmissionInput, subject: string): JudgedRequest {
  const sub = input.subResource ? `/${input.subResource}` : '';
  return {
    allow: {
      reason: 'NotGoverned',
      message: `oos does not judge ${input.operation} of ${subject}${sub}.`,
    },
  };
}

/** `spec.replicas` of a Scale; the apiserver omits a zero. */
function scaleReplicas(scale: unknown): number {
  return numberAt(scale, 'spec', 'replicas') ?? 0;
}

function unknownTarget(subject: string, why: string): JudgedRequest {
  return {
    refuse: {
      reason: 'ScaleTargetUnknown',
      message: `oos cannot judge this scale of ${subject}: ${why} (failing closed). This clears within seconds: retry the command.`,
    },
  };
}

/**
 * A `scale` request as an UPDATE of the workload it scales (`input.scaleTarget`, from the
 * admission server's cache) with its replicas set to the Scale's: the whole chain and the
 * boundaries apply, as to any UPDATE. Scaling down, or not at all, is never judged and needs no
 * cache.
 */
function scaleRequest(input: AdmissionInput, subject: string): JudgedRequest {
  const scale = input.object;
  if (input.operation !== 'UPDATE') return notGoverned(input, subject);
  if (!isRecord(scale)) {
    return {
      refuse: {
        reason: 'InvalidObject',
        message: `the scale request for ${subject} carries no readable Scale: send the Scale as a JSON object.`,
      },
    };
  }
  const replicas = scaleReplicas(scale);
  if (isRecord(input.oldObject) && replicas <= scaleReplicas(input.oldObject)) {
    return {
      allow: {
        reason: 'NotGoverned',
        message: `this scale of ${subject} does not raise its replicas, so oos does not judge it.`,
      },
    };
  }
  const target = input.scaleTarget;
  const kind = kindOfObject(target);
  if (
    !isRecord(target) ||
    kind === undefined ||
    stringAt(target, 'metadata', 'name') !== input.name ||
    stringAt(target, 'metadata', 'namespace') !== input.namespace
  ) {
    return unknownTarget(subject, 'its cache does not hold the workload yet');
  }
  const version = stringAt(input.oldObject, 'metadata', 'resourceVersion');
  if (version !== undefined && version !== stringAt(target, 'metadata', 'resourceVersion')) {
    return unknownTarget(subject, 'its cache does not hold the latest version of the workload yet');
  }
  const spec = field(target, 'spec');
  return {
    judge: {
      operation: 'UPDATE',
      kind,
      ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
      ...(input.name === undefined ? {} : { name: input.name }),
      object: { ...target, spec: { ...(isRecord(spec) ? spec : {}), replicas } },
      oldObject: target,
      userInfo: input.userInfo,
      ...(input.namespaceLabels === undefined ? {} : { namespaceLabels: input.namespaceLabels }),
    },
  };
}

/**
 * The request oos judges for an admission request on a workload: creates and updates of the
 * main resource as they are; `pods/ephemeralcontainers` as an UPDATE of the Pod (its object is
 * the whole Pod, ephemeral containers included); `<workload>/scale` through {@link scaleRequest}.
 * DELETE, CONNECT and every other subresource are not judged.
 */
export function judgedRequest(input: AdmissionInput, subject: string): JudgedRequest {
  const sub = input.subResource ?? '';
  if (input.operation !== 'CREATE' && input.operation !== 'UPDATE') {
    return notGoverned(input, subject);
  }
  if (sub === '') return { judge: input };
  if (sub === 'ephemeralcontainers' && input.kind.group === '' && input.kind.kind === 'Pod') {
    return { judge: { ...input, subResource: undefined } };
  }
  if (sub === 'scale') return scaleRequest(input, subject);
  return notGoverned(input, subject);
}
