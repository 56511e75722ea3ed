/** The stop button, pure: what the controller must do to a capability's workloads, one step at a time. */
export {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
  STATE_ANNOTATIONS,
  stopping,
  stopStep,
  type StopStep,
} from './plan.js';
export {
  capabilityLabel,
  controllerOf,
  followsOwner,
  groupKind,
  isRunning,
  isStoppable,
  SCALABLE_KINDS,
  specReplicas,
  SUSPENDABLE_KINDS,
} from './workload.js';
