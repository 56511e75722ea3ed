import { containerAccelerators } from '../workload/pod.js';
import type { Detector, Signal } from './signal.js';

/** Containers that request or limit an accelerator resource (a non-zero quantity). */
export const detectAccelerators: Detector = (view, config) => {
  const signals: Signal[] = [];
  for (const pod of view.pods) {
    for (const container of pod.containers) {
      if (containerAccelerators(container, config.accelerators) === 0) continue;
      const resources = [...container.resources.keys()].filter((r) =>
        config.accelerators.matches(r),
      );
      signals.push({
        type: 'Accelerator',
        reason: `accelerator ${resources.join(', ')} in container ${container.name}`,
      });
    }
  }
  return signals;
};
