import { LABEL_CAPABILITY } from '../../api/index.js';
import { list } from '../text.js';
import { labelOf } from '../workload/view.js';
import { next, stop, type Step } from './step.js';

/** An AI workload must name its capability with the `oos.dev/capability` label. */
export const anchor: Step = (state) => {
  if (labelOf(state.view, LABEL_CAPABILITY) !== undefined) return next();
  const namespace = state.view.namespace ?? '';
  const names = state.snapshot.capabilityNames.get(namespace) ?? [];
  const why = state.signals.map((signal) => signal.reason);
  const fix =
    names.length === 0
      ? `namespace ${namespace} has no Capability yet, so create one anchored to an accountable role and add the label ${LABEL_CAPABILITY}: <capability> naming it`
      : `add the label ${LABEL_CAPABILITY} naming one of the capabilities of namespace ${namespace} (${list(names, 10)})`;
  return stop(
    state,
    'AnchorMissing',
    `${state.subject} is an AI workload (${list(why, 3)}) but no capability anchors it: ${fix}.`,
  );
};
