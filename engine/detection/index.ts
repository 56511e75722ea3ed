import type { WorkloadView } from '../workload/view.js';
import { NO_DEVICES, type DeviceIndex } from '../devices/index.js';
import { detectAccelerators } from './accelerators.js';
import type { DetectionConfig } from './config.js';
import { detectCredentials, detectCredentialSources } from './credentials.js';
import { detectDeviceClaims } from './device-claims.js';
import { detectImages } from './images.js';
import { detectKind } from './kinds.js';
import { detectLabels } from './labels.js';
import type { Detector, Signal } from './signal.js';

export type { Signal, SignalType } from './signal.js';

/** Every detection rule; any one signal makes an AI workload. */
const DETECTORS: readonly Detector[] = [
  detectKind,
  detectLabels,
  detectAccelerators,
  detectDeviceClaims,
  detectImages,
  detectCredentials,
  detectCredentialSources,
];

export interface Detection {
  /** Whether oos governs the object at all (a Pod, a pod controller, an AI kind, a pod spec). */
  readonly workload: boolean;
  readonly ai: boolean;
  readonly signals: readonly Signal[];
}

/**
 * Whether a workload is an AI workload, with every signal that says so. Only workloads count:
 * Pods, the pod controllers, AI kinds, and any other kind that holds a pod spec; a ConfigMap or
 * a Service is never an AI workload, whatever its labels. `devices` resolves DRA claims; without
 * it every claim is unknown and counts as an accelerator (fail closed).
 */
export function detect(
  view: WorkloadView,
  config: DetectionConfig,
  devices: DeviceIndex = NO_DEVICES,
): Detection {
  const signals = DETECTORS.flatMap((detector) => detector(view, config, devices));
  const workload =
    view.builtIn || view.pods.length > 0 || signals.some((signal) => signal.type === 'Kind');
  return workload
    ? { workload, ai: signals.length > 0, signals }
    : { workload, ai: false, signals: [] };
}
