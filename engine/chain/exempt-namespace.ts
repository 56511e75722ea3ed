import { next, stop, type Step } from './step.js';

/** Namespaces oos never governs: the policy's exemptNamespaces and the operator's namespace. */
export const exemptNamespace: Step = (state) => {
  const namespace = state.view.namespace;
  if (namespace === undefined || !state.snapshot.policy.exemptNamespaces.has(namespace)) {
    return next();
  }
  const message = `${state.subject} is admitted without an accountability chain because namespace ${namespace} is exempt from oos governance (GovernancePolicy exemptNamespaces).`;
  return stop(state, 'Exempted', message, [...state.warnings, message]);
};
