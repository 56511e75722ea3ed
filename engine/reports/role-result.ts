import { API_VERSION, type RiskTier } from '../../api/index.js';
import { leadTimeMs } from '../escalation/routing.js';
import { currentHolders, type GovernanceSnapshot, type IndexedRole } from '../snapshot.js';
import { list } from '../text.js';
import { formatTime } from '../time.js';
import { REPORT_SOURCE, timestampOf, type ReportResult } from './openreports.js';
import { POLICY_ACCOUNTABLE_ROLES, severityOf } from './outcome.js';
import { MAX_HOLDERS_LISTED, properties } from './properties.js';

const TIER_ORDER: readonly RiskTier[] = ['Minimal', 'Limited', 'High'];

/** The highest risk tier among the capabilities each role is accountable for, by role name. */
export function tiersByRole(snapshot: GovernanceSnapshot): Map<string, RiskTier> {
  const tiers = new Map<string, RiskTier>();
  for (const { capability } of snapshot.capabilities.values()) {
    const { accountableRole, riskTier } = capability.spec;
    const before = tiers.get(accountableRole);
    if (before === undefined || TIER_ORDER.indexOf(riskTier) > TIER_ORDER.indexOf(before)) {
      tiers.set(accountableRole, riskTier);
    }
  }
  return tiers;
}

/**
 * One result per AccountableRole (the ClusterReport): `pass` with a current holder, `fail` when
 * vacant, `warn` when the last current attestation ends within the AttestationExpiring lead time
 * of the built-in routing. Severity: the highest risk tier of the capabilities it answers for
 * (`info` for a role no capability names).
 */
export function roleResult(
  role: IndexedRole,
  tier: RiskTier | undefined,
  snapshot: GovernanceSnapshot,
  now: number,
): ReportResult {
  const current = currentHolders(role, now);
  const last = current[0]?.until;
  const lead = leadTimeMs(snapshot, '', undefined, 'AttestationExpiring');
  const vacant = last === undefined;
  const lapsing = !vacant && last - now <= lead;
  const people = current.map((h) => `${h.user} (attested until ${formatTime(h.until)})`);
  const message = vacant
    ? `AccountableRole ${role.name} has no current holder: every capability it answers for is unanchored until a governance admin adds a holder with a current attestation.`
    : lapsing
      ? `AccountableRole ${role.name} is held, but its last current attestation ends at ${formatTime(last)}: attest a holder again.`
      : `AccountableRole ${role.name} is held by ${list(people, MAX_HOLDERS_LISTED)}.`;
  return {
    source: REPORT_SOURCE,
    policy: POLICY_ACCOUNTABLE_ROLES,
    rule: 'holders',
    category: 'Human oversight',
    severity: tier === undefined ? 'info' : severityOf(tier),
    timestamp: timestampOf(now),
    result: vacant ? 'fail' : lapsing ? 'warn' : 'pass',
    scored: true,
    resources: [{ apiVersion: API_VERSION, kind: 'AccountableRole', name: role.name }],
    message,
    properties: properties([
      ['reason', vacant ? 'AccountabilityVacant' : undefined],
      ['holders', people.length === 0 ? undefined : list(people, MAX_HOLDERS_LISTED)],
      ['responsibilities', role.role.spec.responsibilities.join(', ')],
      ['highestRiskTier', tier],
    ]),
  };
}
