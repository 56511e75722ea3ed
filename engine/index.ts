/**
 * The engine's public interface: the pure decision function the admission webhook, the
 * controller's background audit and `oos check` share.
 */
export { decide, isAIWorkload, stampPatch } from './decide.js';
export type { Chain, Decision } from './decision.js';
export type { AdmissionInput, Identity, JsonPatchOperation, Operation } from './input.js';
export { applyPatch } from './patch.js';
export { enforcementMode } from './policy.js';
export { splitApiVersion } from './workload/view.js';
export { REASON_CODES, type ReasonCode } from './reasons.js';
export {
  buildSnapshot,
  currentHolders,
  type EngineConfig,
  type GovernanceObjects,
  type GovernanceSnapshot,
  withDevices,
} from './snapshot.js';
export { indexDevices, NO_DEVICES, type DeviceIndex, type DeviceObjects } from './devices/index.js';
export { delegationState } from './chain/delegation.js';
