import {
  DEFAULT_ESCALATION_RETENTION,
  DEFAULT_LEAD_TIME,
  isDuration,
  parseDuration,
  type EscalationPolicy,
  type EscalationTrigger,
  type Severity,
} from '../../api/index.js';
import { objectKey, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';

/** The EscalationPolicy a namespace falls back to when a capability names none. */
export const DEFAULT_POLICY_NAME = 'default';

/** How urgent each trigger is when no EscalationPolicy says otherwise. */
export const DEFAULT_SEVERITIES: Readonly<Record<EscalationTrigger, Severity>> = {
  AccountabilityVacant: 'Critical',
  AttestationExpiring: 'Warning',
  DelegationExpiring: 'Warning',
  DelegationExpired: 'Critical',
  UnanchoredWorkload: 'Critical',
  CapabilitySuspended: 'Warning',
  BoundaryViolation: 'Critical',
  ExemptionExpired: 'Warning',
  ExemptAIWorkload: 'Info',
  InteractionPending: 'Warning',
  NetworkPolicyTampered: 'Critical',
};

/** One step of the ladder, durations in milliseconds. */
export interface ResolvedLevel {
  readonly afterMs: number;
  readonly roles: readonly string[];
  readonly notifyAccountableRole: boolean;
}

/** How a trigger is handled: its severity and, for deadlines, how long ahead it fires. */
export interface TriggerRouting {
  readonly severity: Severity;
  readonly leadTimeMs: number;
}

/** Where the escalations of one capability (or of a namespace without one) route. */
export interface Routing {
  /** The EscalationPolicy used; undefined when the built-in routing applies. */
  readonly policy: string | undefined;
  /** Triggers handled; a trigger absent here raises no escalation. */
  readonly triggers: ReadonlyMap<EscalationTrigger, TriggerRouting>;
  readonly levels: readonly ResolvedLevel[];
  readonly retentionMs: number;
}

function ms(text: string | undefined, fallback: string): number {
  return parseDuration(text !== undefined && isDuration(text) ? text : fallback);
}

const DEFAULT_LEAD_MS = parseDuration(DEFAULT_LEAD_TIME);

/**
 * Without an EscalationPolicy every trigger matters, with its default severity, and one level
 * notifies the accountable role at once; resolved escalations are kept 180 days.
 */
export const BUILT_IN_ROUTING: Routing = {
  policy: undefined,
  triggers: new Map(
    (Object.keys(DEFAULT_SEVERITIES) as EscalationTrigger[]).map((trigger) => [
      trigger,
      { severity: DEFAULT_SEVERITIES[trigger], leadTimeMs: DEFAULT_LEAD_MS },
    ]),
  ),
  levels: [{ afterMs: 0, roles: [], notifyAccountableRole: true }],
  retentionMs: parseDuration(DEFAULT_ESCALATION_RETENTION),
};

/** The routing an EscalationPolicy defines. */
export function routingOf(policy: EscalationPolicy): Routing {
  const { spec } = policy;
  return {
    policy: policy.metadata.name,
    triggers: new Map(
      spec.triggers.map((rule) => [
        rule.type,
        { severity: rule.severity, leadTimeMs: ms(rule.leadTime, DEFAULT_LEAD_TIME) },
      ]),
    ),
    levels: spec.levels.map((level) => ({
      afterMs: ms(level.after, '0s'),
      roles: level.roles ?? [],
      notifyAccountableRole: level.notifyAccountableRole,
    })),
    retentionMs: ms(spec.retention, DEFAULT_ESCALATION_RETENTION),
  };
}

const memo = new WeakMap<EscalationPolicy, Routing>();

function cachedRoutingOf(policy: EscalationPolicy): Routing {
  let routing = memo.get(policy);
  if (routing === undefined) {
    routing = routingOf(policy);
    memo.set(policy, routing);
  }
  return routing;
}

/**
 * The policy that routes escalations in `namespace` about `capability`: the one the capability
 * names, else the namespace's policy named `default`, else the built-in routing. A capability
 * that names a policy that does not exist falls back the same way: escalating with defaults is
 * safer than staying silent.
 */
export function routingFor(
  snapshot: GovernanceSnapshot,
  namespace: string,
  capability: IndexedCapability | undefined,
): Routing {
  const named = capability?.capability.spec.escalationPolicy;
  const policy =
    (named === undefined
      ? undefined
      : snapshot.escalationPolicies.get(objectKey(namespace, named))) ??
    snapshot.escalationPolicies.get(objectKey(namespace, DEFAULT_POLICY_NAME));
  return policy === undefined ? BUILT_IN_ROUTING : cachedRoutingOf(policy);
}

/** The routing of an existing escalation: by the policy it names, else the built-in one. */
export function routingByName(
  snapshot: GovernanceSnapshot,
  namespace: string,
  policy: string | undefined,
): Routing {
  const found =
    policy === undefined
      ? undefined
      : snapshot.escalationPolicies.get(objectKey(namespace, policy));
  return found === undefined ? BUILT_IN_ROUTING : cachedRoutingOf(found);
}

/** The lead time of a deadline trigger for `capability`: its policy's, else 14 days. */
export function leadTimeMs(
  snapshot: GovernanceSnapshot,
  namespace: string,
  capability: IndexedCapability | undefined,
  trigger: 'AttestationExpiring' | 'DelegationExpiring',
): number {
  return (
    routingFor(snapshot, namespace, capability).triggers.get(trigger)?.leadTimeMs ?? DEFAULT_LEAD_MS
  );
}
