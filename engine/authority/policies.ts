import { escalationPolicySchema, governancePolicySchema } from '../../api/index.js';
import { sameJson } from '../json.js';
import { authorized } from './checks.js';
import { requireGovernor } from './operating-model.js';
import { withParsed, type KindRule } from './request.js';

/** EscalationPolicies: valid objects, changed by whom RBAC allows. */
export const authorizeEscalationPolicy: KindRule = (raw) =>
  withParsed(escalationPolicySchema, raw, (request) =>
    authorized(request, `apply ${request.subject}`),
  );

/** The GovernancePolicy is the operating model: governance admins and trusted appliers only. */
export const authorizeGovernancePolicy: KindRule = (raw) =>
  withParsed(governancePolicySchema, raw, (request) => {
    const what = `apply ${request.subject}`;
    if (request.old !== undefined && sameJson(request.old.spec, request.object.spec)) {
      return authorized(request, what);
    }
    return requireGovernor(request, what) ?? authorized(request, what);
  });
