// TEMPORARY stand-in for engine/coordination (lands in main at 13:25): the same signatures;
// replaced by re-exports from './coordination/index.js' at the merge.
import type {
  Autonomy,
  Capability,
  CapabilityClass,
  Coordination,
  ForbiddenEdge,
  Posture,
  RiskTier,
} from '../api/index.js';

export interface ClassTraits {
  readonly autonomy: Autonomy;
  readonly riskTier: RiskTier;
}
export type EdgeEnd = ClassTraits | 'external';
export function matchesClass(cls: CapabilityClass, traits: ClassTraits): boolean {
  return (
    (cls.autonomy === undefined || cls.autonomy.includes(traits.autonomy)) &&
    (cls.riskTiers === undefined || cls.riskTiers.includes(traits.riskTier))
  );
}
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
export function describeTraits(traits: ClassTraits): string {
  return `${traits.autonomy}, ${traits.riskTier} risk`;
}
export function effectivePosture(capability: Capability, coordination: Coordination): Posture {
  return coordination.posture === 'Closed' || capability.spec.interactions?.posture === 'Closed'
    ? 'Closed'
    : 'Open';
}
export const LABEL_MANAGED_BY = 'oos.dev/managed-by';
export const MANAGED_BY_VALUE = 'oos';
