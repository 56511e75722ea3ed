import { LABEL_CAPABILITY, type DetectionLabel } from '../../api/index.js';
import type { Detector, Signal } from './signal.js';

/** The capability label always marks a workload as AI: joining the chain says so. */
const CAPABILITY_LABEL: DetectionLabel = { key: LABEL_CAPABILITY };

/** Labels of the object or of its pod template that mark it as AI (any value when none is set). */
export const detectLabels: Detector = (view, config) => {
  const signals: Signal[] = [];
  for (const wanted of [CAPABILITY_LABEL, ...config.labels]) {
    const value = view.labels.get(wanted.key) ?? view.templateLabels.get(wanted.key);
    if (value === undefined || (wanted.value !== undefined && wanted.value !== value)) continue;
    signals.push({ type: 'Label', reason: `label ${wanted.key}=${value}` });
  }
  return signals;
};
