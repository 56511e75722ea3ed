/** The stop button, pure: what the controller must do to a capability's workloads, one step at a time. */
export {
  ANNOTATION_REPLICAS_BEFORE_SUSPEND,
  ANNOTATION_SUSPENDED_BY_OOS,
  STATE_ANNOTATIONS,
  stepPatch,
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
  runningStatus,
  specReplicas,
  stopMethodOf,
  stopMethods,
  TABLE_STOP_METHODS,
  type StopMethods,
} from './workload.js';
