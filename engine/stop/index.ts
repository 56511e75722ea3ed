/** The stop button, pure: what the controller must do to a capability's workloads, one step at a time. */
export {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
  stopping,
  stopStep,
  type StopStep,
} from './plan.js';
export {
  capabilityLabel,
  controllerOf,
  groupKind,
  isRunning,
  isStoppable,
  SCALABLE_KINDS,
  specReplicas,
  SUSPENDABLE_KINDS,
} from './workload.js';
