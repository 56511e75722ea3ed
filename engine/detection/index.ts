import type { WorkloadView } from '../workload/view.js';
import { detectAccelerators } from './accelerators.js';
import type { DetectionConfig } from './config.js';
import { detectCredentials } from './credentials.js';
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
  detectImages,
  detectCredentials,
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
 * a Service is never an AI workload, whatever its labels.
 */
export function detect(view: WorkloadView, config: DetectionConfig): Detection {
  const signals = DETECTORS.flatMap((detector) => detector(view, config));
  const workload =
    view.builtIn || view.pods.length > 0 || signals.some((signal) => signal.type === 'Kind');
  return workload
    ? { workload, ai: signals.length > 0, signals }
    : { workload, ai: false, signals: [] };
}
