import type { KindName } from '../../api/index.js';
import { settled, type Decision } from '../decision.js';
import type { AdmissionInput, JsonPatchOperation } from '../input.js';
import type { GovernanceSnapshot } from '../snapshot.js';
import { authorizeAccountableRole } from './accountable-role.js';
import { authorizeCapability } from './capability.js';
import { authorizeDeletion } from './deletion.js';
import { authorizeDelegation } from './delegation.js';
import { authorizeEscalation } from './escalation.js';
import { authorizeExemption } from './exemption.js';
import { authorizeEscalationPolicy, authorizeGovernancePolicy } from './policies.js';
import { readRequest, type KindRule } from './request.js';
import { stampOperations, verifyStamps } from './stamps.js';
import { authorizeStatusWrite, isStatusWrite } from './status.js';

export { decideNamespace, governedNamespaceLabels, isNamespaceRequest } from './namespace.js';

/** One authority rule per oos kind. */
const RULES: Readonly<Record<KindName, KindRule>> = {
  AccountableRole: authorizeAccountableRole,
  Capability: authorizeCapability,
  Delegation: authorizeDelegation,
  EscalationPolicy: authorizeEscalationPolicy,
  Escalation: authorizeEscalation,
  Exemption: authorizeExemption,
  GovernancePolicy: authorizeGovernancePolicy,
};

function ruleOf(kind: string): KindRule | undefined {
  return Object.hasOwn(RULES, kind) ? RULES[kind as KindName] : undefined;
}

/** Whether oos judges this request at all: creates and updates of the main resource. */
export function governedOperation(input: AdmissionInput): boolean {
  return (
    (input.operation === 'CREATE' || input.operation === 'UPDATE') &&
    (input.subResource === undefined || input.subResource === '')
  );
}

/**
 * Who may change governance, judged on the requester's `userInfo`: the kind's authority rule
 * (e.g. only a current holder of the accountable role delegates; only governance admins or
 * trusted appliers change role holders), then the stamps. These decisions are never softened by
 * the enforcement mode.
 */
export function decideGovernance(
  input: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: number,
): Decision {
  const rule = ruleOf(input.kind.kind);
  const record = recordDecision(input, snapshot, now, rule !== undefined);
  if (record !== undefined) return record;
  if (!governedOperation(input) || rule === undefined) {
    return settled(
      true,
      {
        reason: 'NotGoverned',
        message: `${input.operation} of ${input.kind.kind}${input.subResource ? `/${input.subResource}` : ''} is left to RBAC.`,
      },
      'Enforce',
    );
  }
  const request = readRequest(input, snapshot, now);
  const verdict = rule(request);
  if (verdict.reason !== 'Authorized') return settled(false, verdict, 'Enforce');
  const forged = verifyStamps(
    request.kind,
    input.oldObject,
    input.object,
    request.actor,
    request.subject,
  );
  return forged === undefined
    ? settled(true, verdict, 'Enforce')
    : settled(false, forged, 'Enforce');
}

/**
 * Status writes and deletions of the oos kinds (evidence: engine/authority/status.ts and
 * deletion.ts); undefined for the creates and updates the kind rules judge.
 */
function recordDecision(
  input: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: number,
  known: boolean,
): Decision | undefined {
  if (!known) return undefined;
  const deleting = input.operation === 'DELETE' && !input.subResource;
  if (input.subResource !== 'status' && !deleting) return undefined;
  const request = readRequest(input, snapshot, now);
  const verdict = isStatusWrite(request)
    ? authorizeStatusWrite(request)
    : authorizeDeletion(request);
  const allowed = verdict.reason === 'Authorized' || verdict.reason === 'NotGoverned';
  return settled(allowed, verdict, 'Enforce');
}

/** The stamps the mutating webhook writes on a request on an oos kind. */
export function governanceStampPatch(
  input: AdmissionInput,
  snapshot: GovernanceSnapshot,
  now: number,
): readonly JsonPatchOperation[] {
  if (!governedOperation(input) || ruleOf(input.kind.kind) === undefined) return [];
  const request = readRequest(input, snapshot, now);
  return stampOperations(request.kind, input.oldObject, input.object, request.actor);
}
