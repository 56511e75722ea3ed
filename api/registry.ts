import { accountableRoleKind } from './accountable-role.js';
import { capabilityKind } from './capability.js';
import { delegationKind } from './delegation.js';
import { escalationPolicyKind } from './escalation-policy.js';
import { escalationKind } from './escalation.js';
import { exemptionKind } from './exemption.js';
import { governancePolicyKind } from './governance-policy.js';
import type { KindDefinition } from './kind.js';

/** Every kind of the oos.dev API, in the order of the accountability chain. */
export const KINDS = [
  accountableRoleKind,
  capabilityKind,
  delegationKind,
  escalationPolicyKind,
  escalationKind,
  exemptionKind,
  governancePolicyKind,
] as const satisfies readonly KindDefinition[];

export type KindName = (typeof KINDS)[number]['kind'];

/** The definition of `kind`, or undefined when oos has no such kind. */
export function findKind(kind: string): KindDefinition | undefined {
  return KINDS.find((definition) => definition.kind === kind);
}
