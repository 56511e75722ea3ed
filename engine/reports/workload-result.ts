import type { Chain } from '../decision.js';
import { findingMessage, type Finding } from '../escalation/audit.js';
import { leadTimeMs } from '../escalation/routing.js';
import { currentHolders, objectKey, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';
import { formatTime, parseTime } from '../time.js';
import type { ReportResult } from './openreports.js';
import { REPORT_SOURCE, timestampOf } from './openreports.js';
import { outcomeOf, POLICY_ANCHOR_CHAIN, severityOf } from './outcome.js';
import { bounded, MAX_HOLDERS_LISTED, MAX_MESSAGE_LENGTH, properties } from './properties.js';

/** `alice (attested until 2027-01-01T00:00:00Z)`, for the current holders the chain named. */
function holdersOf(chain: Chain, snapshot: GovernanceSnapshot): string | undefined {
  if (chain.role === undefined || chain.holders === undefined) return undefined;
  const role = snapshot.roles.get(chain.role);
  const people = chain.holders.map((user) => {
    const until = role?.byUser.get(user)?.until;
    return until === undefined ? user : `${user} (attested until ${formatTime(until)})`;
  });
  return list(people, MAX_HOLDERS_LISTED);
}

/**
 * When the anchor of an anchored workload lapses within the lead time of its escalation policy
 * (the same as the DelegationExpiring and AttestationExpiring escalations): why, else undefined.
 */
function lapsing(finding: Finding, snapshot: GovernanceSnapshot, now: number): string | undefined {
  const { chain } = finding;
  const namespace = finding.workload.namespace ?? '';
  const capability =
    chain.capability &&
    snapshot.capabilities.get(objectKey(chain.capability.namespace, chain.capability.name));
  const until = parseTime(chain.delegation?.validUntil);
  if (
    chain.delegation !== undefined &&
    until !== undefined &&
    until - now <= leadTimeMs(snapshot, namespace, capability, 'DelegationExpiring')
  ) {
    return `Delegation ${chain.delegation.name} ends at ${formatTime(until)}: a holder of the role renews it.`;
  }
  const role = chain.role === undefined ? undefined : snapshot.roles.get(chain.role);
  const last = role && currentHolders(role, now)[0]?.until;
  if (
    role !== undefined &&
    last !== undefined &&
    last - now <= leadTimeMs(snapshot, namespace, capability, 'AttestationExpiring')
  ) {
    return `The attestation of the last current holder of role ${role.name} ends at ${formatTime(last)}: attest a holder again.`;
  }
  return undefined;
}

/** The chain properties of a result: capability, role, holders, delegation and expiry. */
function chainProperties(
  chain: Chain,
  snapshot: GovernanceSnapshot,
): (readonly [string, string | undefined])[] {
  const capability =
    chain.capability &&
    snapshot.capabilities.get(objectKey(chain.capability.namespace, chain.capability.name));
  const spec = capability?.capability.spec;
  return [
    ['capability', chain.capability?.name],
    ['autonomy', spec?.autonomy],
    ['riskTier', spec?.riskTier],
    ['accountableRole', chain.role],
    ['holders', holdersOf(chain, snapshot)],
    ['delegation', chain.delegation?.name],
    ['serviceAccount', chain.delegation?.serviceAccount],
    ['delegationValidUntil', chain.delegation?.validUntil],
  ];
}

/** The properties of an Exemption that admitted the workload: who asked, who approved, until when. */
function exemptionProperties(
  chain: Chain,
  snapshot: GovernanceSnapshot,
  namespace: string,
): (readonly [string, string | undefined])[] {
  if (chain.exemption === undefined) return [];
  const { namespace: home, name } = chain.exemption;
  const found = snapshot.exemptions
    .get(namespace)
    ?.find((exemption) => exemption.namespace === home && exemption.name === name);
  return [
    ['exemption', `${home}/${name}`],
    ['exemptionRequestedBy', found?.requestedBy],
    ['exemptionApprovedBy', found?.approvedBy],
    ['exemptionExpiresAt', found === undefined ? undefined : formatTime(found.expires)],
  ];
}

/**
 * One result per running AI workload: `policy` the anchor chain, `rule` the step that decided,
 * `severity` from the capability's risk tier. An exempted workload is `skip` and keeps, in its
 * properties, the verdict the chain gives without the exemption (`underlying*`) and the Exemption
 * with its requester, approver and expiry.
 */
export function workloadResult(
  finding: Finding,
  snapshot: GovernanceSnapshot,
  now: number,
): ReportResult {
  const { workload, underlying } = finding;
  const namespace = workload.namespace ?? '';
  const chain = underlying?.chain ?? finding.chain;
  const outcome = outcomeOf(finding.reason, finding.exemptedBy);
  const lapse = outcome.result === 'pass' ? lapsing(finding, snapshot, now) : undefined;
  const message = findingMessage(finding);
  const capabilityName = chain.capability?.name ?? finding.capability;
  const tier =
    capabilityName === undefined
      ? undefined
      : snapshot.capabilities.get(objectKey(namespace, capabilityName))?.capability.spec.riskTier;
  const under = underlying && outcomeOf(underlying.reason);
  return {
    source: REPORT_SOURCE,
    policy: POLICY_ANCHOR_CHAIN,
    rule: outcome.rule,
    category: 'Human oversight',
    severity: severityOf(tier),
    timestamp: timestampOf(now),
    result: lapse === undefined ? outcome.result : 'warn',
    scored: true,
    resources: [
      {
        apiVersion: workload.apiVersion,
        kind: workload.kind,
        namespace,
        name: workload.name,
        ...(finding.uid === undefined ? {} : { uid: finding.uid }),
      },
    ],
    message: bounded(lapse === undefined ? message : `${message} ${lapse}`, MAX_MESSAGE_LENGTH),
    properties: properties([
      ['reason', finding.reason],
      ['enforcement', finding.mode],
      ['exemptedBy', finding.exemptedBy],
      ['capabilityLabel', finding.capability],
      ...chainProperties(chain, snapshot),
      ...exemptionProperties(finding.chain, snapshot, namespace),
      ['underlyingResult', under?.result],
      ['underlyingRule', under?.rule],
      ['underlyingReason', underlying?.reason],
      ['underlyingMessage', underlying?.message],
    ]),
  };
}
