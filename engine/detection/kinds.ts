import { groupKindKey } from './config.js';
import type { Detector } from './signal.js';

/** Kinds that are AI by nature (KServe, Ray, Kubeflow, kagent, agent-sandbox, ...). */
export const detectKind: Detector = (view, config) => {
  const key = groupKindKey(view);
  return config.kinds.has(key) ? [{ type: 'Kind', reason: `kind ${key}` }] : [];
};
