import type {
  Autonomy,
  CapabilityClass,
  Coordination,
  ForbiddenEdge,
  RiskTier,
} from '../../api/index.js';

/** What a forbidden-edge class looks at in a capability. */
export interface ClassTraits {
  readonly autonomy: Autonomy;
  readonly riskTier: RiskTier;
}

/** The called side of an edge: a capability, or a destination outside the cluster. */
export type EdgeEnd = ClassTraits | 'external';

/** True when the capability is in the class: each list set must hold its value; unset matches all. */
export function matchesClass(cls: CapabilityClass, traits: ClassTraits): boolean {
  return (
    (cls.autonomy === undefined || cls.autonomy.includes(traits.autonomy)) &&
    (cls.riskTiers === undefined || cls.riskTiers.includes(traits.riskTier))
  );
}

/**
 * The first `forbiddenEdges` rule the edge from `caller` to `callee` falls in, or undefined.
 * A rule with `to.external: true` names every destination outside the cluster and nothing else;
 * any other rule names capabilities only.
 */
export function forbiddenBy(
  coordination: Coordination,
  caller: ClassTraits,
  callee: EdgeEnd,
): ForbiddenEdge | undefined {
  return coordination.forbiddenEdges?.find((rule) => {
    if (!matchesClass(rule.from, caller)) return false;
    if (callee === 'external') return rule.to.external === true;
    return rule.to.external !== true && matchesClass(rule.to, callee);
  });
}

/** How a forbidden edge is described to people: the rule, and the organisation's reason. */
export function forbiddenMessage(rule: ForbiddenEdge, edge: string): string {
  return `${edge} is forbidden by the GovernancePolicy's forbiddenEdges rule ${rule.name}: ${rule.reason}`;
}

/** A capability's class, as messages show it (e.g. "Autonomous, High risk"). */
export function describeTraits(traits: ClassTraits): string {
  return `${traits.autonomy}, ${traits.riskTier} risk`;
}
