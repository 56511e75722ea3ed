import { escalationPolicySchema, governancePolicySchema } from '../../api/index.js';
import { authorized } from './checks.js';
import { withParsed, type KindRule } from './request.js';

/** EscalationPolicies and the GovernancePolicy: valid objects, changed by whom RBAC allows. */
export const authorizeEscalationPolicy: KindRule = (raw) =>
  withParsed(escalationPolicySchema, raw, (request) =>
    authorized(request, `apply ${request.subject}`),
  );

export const authorizeGovernancePolicy: KindRule = (raw) =>
  withParsed(governancePolicySchema, raw, (request) =>
    authorized(request, `apply ${request.subject}`),
  );
