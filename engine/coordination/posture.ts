import type { Capability, Coordination, Posture } from '../../api/index.js';

/**
 * The posture in force for a capability: Closed when the GovernancePolicy or the capability says
 * so. A capability can be stricter than the policy, never looser.
 */
export function effectivePosture(capability: Capability, coordination: Coordination): Posture {
  return coordination.posture === 'Closed' || capability.spec.interactions?.posture === 'Closed'
    ? 'Closed'
    : 'Open';
}
