import { effectivePosture } from '../coordination/posture.js';
import { claimedAccelerators } from '../devices/claims.js';
import { list } from '../text.js';
import { podAccelerators } from '../workload/pod.js';
import { next, roleWithHolders, stop, type ChainState, type Step } from './step.js';

/**
 * A capability whose posture is Closed is isolated by the NetworkPolicy oos owns; a pod on the
 * node's network (`hostNetwork: true`) is outside every NetworkPolicy, so it would escape.
 */
function isolationViolations(state: ChainState): string[] {
  const found = state.capability;
  if (found === undefined) return [];
  if (effectivePosture(found.capability, state.snapshot.policy.spec.coordination) !== 'Closed') {
    return [];
  }
  return state.view.pods
    .filter((pod) => pod.hostNetwork === true)
    .map(
      (pod) =>
        `${pod.where} uses hostNetwork, where no NetworkPolicy applies, but the capability's interactions are Closed (docs/coordination.md)`,
    );
}

/** Every bound of the capability the workload oversteps (and isolation it escapes), in words. */
export function boundaryViolations(state: ChainState): string[] {
  const found = state.capability;
  if (found === undefined) return [];
  const violations = isolationViolations(state);
  const bounds = found.capability.spec.boundaries;
  if (bounds === undefined) return violations;
  const allowed = found.allowedImages;
  for (const pod of state.view.pods) {
    for (const container of pod.containers) {
      if (allowed === undefined || container.image === undefined) continue;
      if (!allowed.matches(container.image)) {
        violations.push(
          `image ${container.image} of container ${container.name} is not in allowedImages (${list(allowed.patterns, 3)})`,
        );
      }
    }
  }
  const replicas = state.view.replicas;
  if (bounds.maxReplicas !== undefined && replicas !== undefined && replicas > bounds.maxReplicas) {
    violations.push(`${replicas} replicas exceed maxReplicas ${bounds.maxReplicas}`);
  }
  const maxAccelerators = bounds.maxAcceleratorsPerPod;
  if (maxAccelerators !== undefined) {
    const { detection } = state.snapshot.policy;
    for (const pod of state.view.pods) {
      const claimed = claimedAccelerators(
        pod,
        state.view.namespace,
        detection.deviceClasses,
        state.snapshot.devices,
      ).count;
      const count = podAccelerators(pod, detection.accelerators) + claimed;
      if (count > maxAccelerators) {
        const shown = Number.isFinite(count)
          ? String(count)
          : 'an unbounded number of (DRA allocationMode All, or unknown claims)';
        violations.push(
          `${pod.where} requests ${shown} accelerators per pod, beyond maxAcceleratorsPerPod ${maxAccelerators}`,
        );
      }
    }
  }
  return violations;
}

/** Image, replicas and accelerators must stay within the capability's boundaries. */
export const boundaries: Step = (state) => {
  const violations = boundaryViolations(state);
  if (violations.length === 0) return next();
  const found = state.capability;
  return stop(
    state,
    'BoundaryViolation',
    `${state.subject} is outside the boundaries of capability ${found?.namespace ?? ''}/${found?.name ?? ''}: ${violations.join('; ')}; fit the workload within them, or have a current holder of ${roleWithHolders(state)} widen spec.boundaries.`,
  );
};
