import { LABEL_CAPABILITY } from '../../api/index.js';
import { objectKey } from '../snapshot.js';
import { list } from '../text.js';
import { labelOf } from '../workload/view.js';
import { next, stop, type Step } from './step.js';

/** The capability the label names must exist in the workload's namespace. */
export const capability: Step = (state) => {
  const name = labelOf(state.view, LABEL_CAPABILITY) ?? '';
  const namespace = state.view.namespace ?? '';
  const found = state.snapshot.capabilities.get(objectKey(namespace, name));
  if (found !== undefined) {
    return next({ capability: found });
  }
  const names = state.snapshot.capabilityNames.get(namespace) ?? [];
  const here = names.length === 0 ? 'it has none yet' : `it has ${list(names, 10)}`;
  return stop(
    state,
    'CapabilityNotFound',
    `${state.subject} names capability ${name} in its ${LABEL_CAPABILITY} label, but namespace ${namespace} has no Capability ${name} (${here}): create it or correct the label.`,
  );
};
