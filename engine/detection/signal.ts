import type { DeviceIndex } from '../devices/index.js';
import type { DetectionConfig } from './config.js';
import type { WorkloadView } from '../workload/view.js';

/**
 * The five kinds of evidence that make a workload an AI workload, any one sufficing: a label, an
 * accelerator, an AI runtime image, a model-provider credential, an AI kind.
 */
export type SignalType = 'Label' | 'Accelerator' | 'Image' | 'Credential' | 'Kind';

/** One piece of evidence; `reason` is what a Decision reports, e.g. `label oos.dev/ai-workload=true`. */
export interface Signal {
  readonly type: SignalType;
  readonly reason: string;
}

/**
 * One detection rule: every signal it finds in a workload. DRA claims are looked up in `devices`
 * (none known when absent: every claim then counts, failing closed).
 */
export type Detector = (
  view: WorkloadView,
  config: DetectionConfig,
  devices?: DeviceIndex,
) => readonly Signal[];
