import { LABEL_CAPABILITY } from '../../api/index.js';
import { groupKindKey } from '../detection/config.js';
import { matchesSelector } from '../selector.js';
import type { IndexedExemption } from '../snapshot.js';
import { formatTime } from '../time.js';
import { labelOf, type WorkloadView } from '../workload/view.js';
import { next, stop, type Step } from './step.js';

/** Whether an approved, unexpired Exemption covers the workload (every scope field set must match). */
export function exemptionCovers(
  exemption: IndexedExemption,
  view: WorkloadView,
  now: number,
): boolean {
  if (!exemption.approved || exemption.expires <= now) return false;
  if (exemption.kinds && !exemption.kinds.has(groupKindKey(view))) return false;
  if (exemption.names && (view.name === undefined || !exemption.names.has(view.name))) return false;
  if (exemption.selector && !matchesSelector(exemption.selector, view.labels)) return false;
  return (
    exemption.capability === undefined || exemption.capability === labelOf(view, LABEL_CAPABILITY)
  );
}

/** An approved, unexpired Exemption that matches the workload admits it, with a warning. */
export const exemption: Step = (state) => {
  const { view, snapshot, now } = state;
  const candidates =
    view.namespace === undefined ? undefined : snapshot.exemptions.get(view.namespace);
  const found = candidates?.find((candidate) => exemptionCovers(candidate, view, now));
  if (found === undefined) return next();
  const by = found.approvedBy === undefined ? '' : `approved by ${found.approvedBy}, `;
  const message = `${state.subject} is admitted without a complete accountability chain under Exemption ${found.namespace}/${found.name} (${by}expires ${formatTime(found.expires)}).`;
  return stop({ ...state, exemption: found }, 'Exempted', message, [...state.warnings, message]);
};
