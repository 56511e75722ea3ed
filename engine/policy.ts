import {
  BOOTSTRAP_ADMIN_GROUP,
  BUILT_IN_MACHINE_GROUPS,
  DEFAULT_GOVERNANCE_POLICY_SPEC,
  DEFAULT_MAX_DELEGATION,
  DEFAULT_MAX_EXEMPTION,
  DEFAULT_EVIDENCE_RETENTION,
  GOVERNANCE_POLICY_NAME,
  isDuration,
  parseDuration,
  type EnforcementMode,
  type GovernancePolicy,
  type GovernancePolicySpec,
} from '../api/index.js';
import { compileDetection, type DetectionConfig } from './detection/config.js';
import { GlobList } from './glob.js';
import { matchesSelector } from './selector.js';

/** The GovernancePolicy in force, with its lists compiled and its sets ready for O(1) lookups. */
export interface ResolvedPolicy {
  /** Name of the policy object, or undefined when the built-in defaults apply. */
  readonly name: string | undefined;
  readonly spec: GovernancePolicySpec;
  readonly detection: DetectionConfig;
  /** The policy's exempt namespaces plus the operator's own namespace. */
  readonly exemptNamespaces: ReadonlySet<string>;
  readonly maxDelegationMs: number;
  readonly maxExemptionMs: number;
  /** How long an ended Delegation or Exemption is kept before anyone may delete it. */
  readonly evidenceRetentionMs: number;
  /** The policy's governance admins; while it names none, group system:masters (bootstrap). */
  readonly adminUsers: ReadonlySet<string>;
  readonly adminGroups: ReadonlySet<string>;
  /** Machines besides `system:` usernames: the built-in machine groups plus the policy's. */
  readonly machineUsers: GlobList;
  readonly machineGroups: GlobList;
  readonly applierUsers: ReadonlySet<string>;
  readonly applierGroups: ReadonlySet<string>;
}

/** The label the apiserver puts on every namespace, so selectors can name one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function durationMs(text: string, fallback: string): number {
  return parseDuration(isDuration(text) ? text : fallback);
}

/**
 * The governance admins: those the policy names, else (no policy, or one naming none) the
 * cluster's bootstrap admins, so the first policy and roles can be created by someone.
 */
function governanceAdmins(
  spec: GovernancePolicySpec,
): Pick<ResolvedPolicy, 'adminUsers' | 'adminGroups'> {
  const users = spec.governanceAdmins?.users ?? [];
  const groups = spec.governanceAdmins?.groups ?? [];
  return users.length + groups.length === 0
    ? { adminUsers: new Set(), adminGroups: new Set([BOOTSTRAP_ADMIN_GROUP]) }
    : { adminUsers: new Set(users), adminGroups: new Set(groups) };
}

/**
 * Picks the policy in force: the one named `default` (there is at most one per cluster), else
 * the first given, else the built-in defaults (Enforce mode).
 */
export function resolvePolicy(
  policies: readonly GovernancePolicy[],
  operatorNamespace: string | undefined,
): ResolvedPolicy {
  const policy =
    policies.find((candidate) => candidate.metadata.name === GOVERNANCE_POLICY_NAME) ?? policies[0];
  const spec = policy?.spec ?? DEFAULT_GOVERNANCE_POLICY_SPEC;
  const exempt = new Set(spec.exemptNamespaces);
  if (operatorNamespace !== undefined && operatorNamespace !== '') exempt.add(operatorNamespace);
  return {
    name: policy?.metadata.name,
    spec,
    detection: compileDetection(spec.aiWorkloadDetection),
    exemptNamespaces: exempt,
    maxDelegationMs: durationMs(spec.maxDelegation, DEFAULT_MAX_DELEGATION),
    maxExemptionMs: durationMs(spec.maxExemption, DEFAULT_MAX_EXEMPTION),
    evidenceRetentionMs: durationMs(spec.evidenceRetention, DEFAULT_EVIDENCE_RETENTION),
    ...governanceAdmins(spec),
    machineUsers: new GlobList(spec.machineIdentities?.users ?? []),
    machineGroups: new GlobList([
      ...BUILT_IN_MACHINE_GROUPS,
      ...(spec.machineIdentities?.groups ?? []),
    ]),
    applierUsers: new Set(spec.trustedAppliers?.users),
    applierGroups: new Set(spec.trustedAppliers?.groups),
  };
}

/**
 * The enforcement mode of a namespace: the first `enforcementRules` entry whose namespaceSelector
 * matches the namespace's labels, else the policy's `enforcement`. The namespace's name label is
 * added when the caller's labels lack it, as the apiserver always sets it.
 */
export function enforcementMode(
  policy: ResolvedPolicy,
  namespace: string | undefined,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): EnforcementMode {
  const rules = policy.spec.enforcementRules ?? [];
  if (rules.length === 0) return policy.spec.enforcement;
  const labels = new Map(Object.entries(namespaceLabels ?? {}));
  if (namespace !== undefined && !labels.has(NAMESPACE_NAME_LABEL)) {
    labels.set(NAMESPACE_NAME_LABEL, namespace);
  }
  const rule = rules.find((candidate) => matchesSelector(candidate.namespaceSelector, labels));
  return rule?.enforcement ?? policy.spec.enforcement;
}
