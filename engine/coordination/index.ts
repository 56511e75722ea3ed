/** The coordination layer: which capabilities may talk to which, and the NetworkPolicies that say so. */
export {
  describeTraits,
  forbiddenBy,
  forbiddenMessage,
  matchesClass,
  type ClassTraits,
  type EdgeEnd,
} from './classes.js';
export {
  interactionGraph,
  type CapabilityNode,
  type DeclaredBy,
  type InteractionEdge,
  type InteractionEntry,
  type InteractionGraph,
} from './graph.js';
export {
  desiredNetworkPolicy,
  DNS_NAMESPACE,
  DNS_POD_LABELS,
  LABEL_INTERACTIONS_OF,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
  networkPolicyName,
  type ManagedNetworkPolicy,
} from './network-policy.js';
export { portsNotAccepted, portText, sortedPorts } from './ports.js';
export { effectivePosture } from './posture.js';
