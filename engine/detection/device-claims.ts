import { claimedAccelerators } from '../devices/claims.js';
import { NO_DEVICES } from '../devices/index.js';
import type { Detector, Signal } from './signal.js';

/**
 * Dynamic Resource Allocation: pods whose `resourceClaims` ask for a device of an accelerator
 * class or driver; a claim, template or class oos does not know counts too (fail closed).
 */
export const detectDeviceClaims: Detector = (view, config, devices = NO_DEVICES) => {
  const signals: Signal[] = [];
  for (const pod of view.pods) {
    const { reasons } = claimedAccelerators(pod, view.namespace, config.deviceClasses, devices);
    for (const reason of reasons) {
      signals.push({ type: 'Accelerator', reason: `accelerator through ${reason}` });
    }
  }
  return signals;
};
