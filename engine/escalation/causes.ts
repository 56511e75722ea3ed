import {
  API_VERSION,
  type EscalationTrigger,
  type ObjectReference,
  type Severity,
} from '../../api/index.js';
import { delegationState } from '../chain/delegation.js';
import { CHAIN_FAILURES } from '../reasons.js';
import {
  currentHolders,
  delegationKey,
  objectKey,
  type GovernanceSnapshot,
  type IndexedCapability,
  type IndexedDelegation,
} from '../snapshot.js';
import { list } from '../text.js';
import { formatTime } from '../time.js';
import { describeObject } from '../workload/view.js';
import type { Finding } from './audit.js';
import { escalationBaseName, escalationKey } from './name.js';
import { routingFor } from './routing.js';

/** The most an Escalation's summary holds (api/escalation.ts). */
const SUMMARY_MAX = 1024;

/** One reason humans must be pulled in, now: the Escalation that should be open for it. */
export interface Cause {
  /** {@link escalationKey}: every episode of this cause carries it as a label. */
  readonly key: string;
  /** Name of its first Escalation. */
  readonly name: string;
  readonly namespace: string;
  readonly trigger: EscalationTrigger;
  readonly severity: Severity;
  readonly subject: ObjectReference;
  readonly capability: string | undefined;
  readonly accountableRole: string | undefined;
  /** The EscalationPolicy that routes it; undefined for the built-in routing. */
  readonly policy: string | undefined;
  readonly summary: string;
}

function truncate(text: string): string {
  return text.length <= SUMMARY_MAX ? text : `${text.slice(0, SUMMARY_MAX - 1)}…`;
}

function reference(kind: string, namespace: string | undefined, name: string): ObjectReference {
  return {
    apiVersion: API_VERSION,
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
  };
}

class Causes {
  readonly found: Cause[] = [];

  constructor(private readonly snapshot: GovernanceSnapshot) {}

  add(
    namespace: string,
    capability: IndexedCapability | undefined,
    trigger: EscalationTrigger,
    subject: ObjectReference,
    summary: string,
  ): void {
    const routing = routingFor(this.snapshot, namespace, capability);
    const rule = routing.triggers.get(trigger);
    if (rule === undefined) return;
    const identity = { namespace, trigger, subject, capability: capability?.name };
    this.found.push({
      key: escalationKey(identity),
      name: escalationBaseName(identity),
      namespace,
      trigger,
      severity: rule.severity,
      subject,
      capability: capability?.name,
      accountableRole: capability?.capability.spec.accountableRole,
      policy: routing.policy,
      summary: truncate(summary),
    });
  }

  leadTime(namespace: string, capability: IndexedCapability, trigger: EscalationTrigger): number {
    return routingFor(this.snapshot, namespace, capability).triggers.get(trigger)?.leadTimeMs ?? 0;
  }
}

function roleCauses(
  causes: Causes,
  snapshot: GovernanceSnapshot,
  c: IndexedCapability,
  now: number,
) {
  const roleName = c.capability.spec.accountableRole;
  const role = snapshot.roles.get(roleName);
  const subject = reference('Capability', c.namespace, c.name);
  const current = role === undefined ? [] : currentHolders(role, now);
  if (role === undefined) {
    causes.add(
      c.namespace,
      c,
      'AccountabilityVacant',
      subject,
      `Capability ${c.namespace}/${c.name} is anchored to AccountableRole ${roleName}, which does not exist, so no one answers for it: create the role with its human holders, or anchor the capability to an existing role.`,
    );
    return;
  }
  if (current.length === 0) {
    causes.add(
      c.namespace,
      c,
      'AccountabilityVacant',
      subject,
      `AccountableRole ${roleName} of capability ${c.namespace}/${c.name} has no current holder, so no one answers for it and its workloads are not admitted: add a person as a holder, or renew a holder's attestedUntil.`,
    );
    return;
  }
  const lead = causes.leadTime(c.namespace, c, 'AttestationExpiring');
  const expiring = current.filter((holder) => holder.until - lead <= now);
  if (expiring.length > 0) {
    const who = expiring.map((holder) => `${holder.user} (until ${formatTime(holder.until)})`);
    causes.add(
      c.namespace,
      c,
      'AttestationExpiring',
      reference('AccountableRole', undefined, roleName),
      `The attestation of ${list(who)} as holder of AccountableRole ${roleName}, which capability ${c.namespace}/${c.name} is anchored to, lapses soon: renew attestedUntil, or add another holder.`,
    );
  }
}

function delegationCauses(
  causes: Causes,
  snapshot: GovernanceSnapshot,
  c: IndexedCapability,
  now: number,
) {
  const { spec } = c.capability;
  if (!spec.delegationRequired && spec.riskTier !== 'High') return;
  const who = `a current holder of role ${spec.accountableRole}`;
  const lead = causes.leadTime(c.namespace, c, 'DelegationExpiring');
  const describe = (d: IndexedDelegation) =>
    `Delegation ${d.namespace}/${d.name} of capability ${c.name} to ServiceAccount ${d.serviceAccount}`;
  for (const account of snapshot.delegatedServiceAccounts.get(objectKey(c.namespace, c.name)) ??
    []) {
    // Latest validUntil first: the first active one is the one that lasts longest.
    const delegations = snapshot.delegations.get(delegationKey(c.namespace, c.name, account)) ?? [];
    const active = delegations.find((d) => delegationState(d, now) === 'Active');
    if (active !== undefined) {
      if (active.until - lead <= now) {
        causes.add(
          c.namespace,
          c,
          'DelegationExpiring',
          reference('Delegation', active.namespace, active.name),
          `${describe(active)} expires at ${formatTime(active.until)}: ${who} should create a new Delegation before then (validUntil cannot be extended).`,
        );
      }
      continue;
    }
    const latest = delegations[0];
    if (latest !== undefined && delegationState(latest, now) === 'Expired') {
      causes.add(
        c.namespace,
        c,
        'DelegationExpired',
        reference('Delegation', latest.namespace, latest.name),
        `${describe(latest)} expired at ${formatTime(latest.until)} and no other is active, so ServiceAccount ${account} may no longer execute it: ${who} must create a new Delegation, or revoke this one (spec.revoked: true) if it should not run again.`,
      );
    }
  }
}

function suspendedCause(causes: Causes, c: IndexedCapability, findings: readonly Finding[]) {
  const { spec } = c.capability;
  if (!spec.suspend) return;
  const left = findings.filter(
    (f) =>
      f.capability === c.name &&
      f.workload.namespace === c.namespace &&
      (spec.stopAction === 'DenyNew' || !f.stoppable),
  );
  if (left.length === 0) return;
  const names = left.map((f) => describeObject(f.workload.kind, undefined, f.workload.name));
  const fix =
    spec.stopAction === 'DenyNew'
      ? 'stopAction DenyNew leaves running workloads alone, so scale them down or delete them, or set stopAction to ScaleToZero'
      : 'the stop button cannot scale these kinds to zero, so delete them';
  causes.add(
    c.namespace,
    c,
    'CapabilitySuspended',
    reference('Capability', c.namespace, c.name),
    `Capability ${c.namespace}/${c.name} was suspended${spec.suspendedBy === undefined ? '' : ` by ${spec.suspendedBy}`} but ${left.length} workload${left.length === 1 ? '' : 's'} still run (${list(names)}): ${fix}.`,
  );
}

function findingCauses(causes: Causes, snapshot: GovernanceSnapshot, findings: readonly Finding[]) {
  for (const finding of findings) {
    const namespace = finding.workload.namespace ?? '';
    const capability =
      finding.capability === undefined
        ? undefined
        : snapshot.capabilities.get(objectKey(namespace, finding.capability));
    const subject = describeObject(finding.workload.kind, namespace, finding.workload.name);
    if (finding.exemptedBy === 'ExemptNamespace') {
      causes.add(
        namespace,
        capability,
        'ExemptAIWorkload',
        finding.workload,
        `${subject} runs as AI in namespace ${namespace}, which is exempt from oos governance, so no human answers for it through oos: move it to a governed namespace and anchor it, or remove the namespace from exemptNamespaces (or accept it knowingly; this Info escalation is the record).`,
      );
    } else if (finding.reason === 'BoundaryViolation') {
      causes.add(namespace, capability, 'BoundaryViolation', finding.workload, finding.message);
    } else if (finding.reason !== 'CapabilitySuspended' && CHAIN_FAILURES.has(finding.reason)) {
      causes.add(
        namespace,
        capability,
        'UnanchoredWorkload',
        finding.workload,
        `${subject} runs without an accountability chain (${finding.reason}): ${finding.message}`,
      );
    }
  }
}

function exemptionCauses(causes: Causes, snapshot: GovernanceSnapshot, now: number) {
  for (const exemptions of snapshot.exemptions.values()) {
    for (const e of exemptions) {
      if (!e.approved || e.expires > now) continue;
      const capability =
        e.capability === undefined
          ? undefined
          : snapshot.capabilities.get(objectKey(e.target, e.capability));
      causes.add(
        e.namespace,
        capability,
        'ExemptionExpired',
        reference('Exemption', e.namespace, e.name),
        `Exemption ${e.namespace}/${e.name}${e.approvedBy === undefined ? '' : ` (approved by ${e.approvedBy})`} expired at ${formatTime(e.expires)}, so the workloads it let in are no longer covered: anchor them, have a new Exemption approved if the break-glass is still needed, and acknowledge this escalation (the Exemption is kept as evidence until the GovernancePolicy evidenceRetention after it expired).`,
      );
    }
  }
}

/**
 * Every cause of escalation at `now`, from the governance snapshot and what the
 * background audit found running: the Escalations that should be open. A trigger that the routing
 * EscalationPolicy does not list raises none. Sorted by namespace and name; pure.
 */
export function escalationCauses(
  snapshot: GovernanceSnapshot,
  findings: readonly Finding[],
  now: number,
): Cause[] {
  const causes = new Causes(snapshot);
  for (const capability of snapshot.capabilities.values()) {
    roleCauses(causes, snapshot, capability, now);
    delegationCauses(causes, snapshot, capability, now);
    suspendedCause(causes, capability, findings);
  }
  findingCauses(causes, snapshot, findings);
  exemptionCauses(causes, snapshot, now);
  const unique = new Map(causes.found.map((cause) => [`${cause.namespace}/${cause.key}`, cause]));
  return [...unique.values()].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}
