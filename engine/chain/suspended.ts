import { next, stop, type Step } from './step.js';

/** A suspended capability (the human stop button) admits no new workloads. */
export const suspended: Step = (state) => {
  const found = state.capability;
  if (!found?.capability.spec.suspend) return next();
  const { spec } = found.capability;
  const by = spec.suspendedBy === undefined ? '' : ` by ${spec.suspendedBy}`;
  const why = spec.suspendReason === undefined ? '' : ` (${spec.suspendReason})`;
  return stop(
    state,
    'CapabilitySuspended',
    `Capability ${found.namespace}/${found.name} was suspended${by}${why}: it admits no workloads until a current holder of role ${spec.accountableRole} or a governance admin sets spec.suspend to false.`,
  );
};
