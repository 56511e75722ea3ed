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
  type IndexedExemption,
} from '../snapshot.js';
import { compareText, list } from '../text.js';
import { formatTime } from '../time.js';
import { describeObject } from '../workload/view.js';
import { findingMessage, type Finding } from './audit.js';
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

/** A reference to an oos object (or another kind, with `apiVersion`). */
export function reference(
  kind: string,
  namespace: string | undefined,
  name: string,
  apiVersion: string = API_VERSION,
): ObjectReference {
  return {
    apiVersion,
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
  };
}

/**
 * One trigger evaluated at `now`: the causes it raises and the next instant after `now` at which
 * they can change by the clock alone (a lead time begins, a delegation or attestation ends, an
 * exemption expires), so the wake-up is derived from the same code that decides the causes.
 */
export interface Triggered {
  readonly causes: readonly Cause[];
  /** Undefined when only a change of the objects can change these causes. */
  readonly changesAt: number | undefined;
}

/** The earliest finite instant after `now` among `instants`, else undefined. */
export function nextAfter(now: number, instants: Iterable<number | undefined>): number | undefined {
  let next = Infinity;
  for (const instant of instants) {
    if (instant !== undefined && Number.isFinite(instant) && instant > now && instant < next) {
      next = instant;
    }
  }
  return Number.isFinite(next) ? next : undefined;
}

/** Collects the causes of one trigger and the instants at which they may change. */
export class Trigger {
  private readonly found: Cause[] = [];
  private readonly instants: number[] = [];

  constructor(
    private readonly snapshot: GovernanceSnapshot,
    private readonly now: number,
  ) {}

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

  /** The causes may change at `instant` (ignored unless it lies after `now`). */
  changesAt(...instants: number[]): void {
    this.instants.push(...instants);
  }

  leadTime(namespace: string, capability: IndexedCapability, trigger: EscalationTrigger): number {
    return routingFor(this.snapshot, namespace, capability).triggers.get(trigger)?.leadTimeMs ?? 0;
  }

  done(): Triggered {
    return { causes: this.found, changesAt: nextAfter(this.now, this.instants) };
  }
}

/** AccountabilityVacant and AttestationExpiring of one capability's role. */
export function roleTrigger(
  snapshot: GovernanceSnapshot,
  c: IndexedCapability,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
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
    return causes.done();
  }
  if (current.length === 0) {
    // A holder never becomes current by the clock alone (attestations only lapse).
    causes.add(
      c.namespace,
      c,
      'AccountabilityVacant',
      subject,
      `AccountableRole ${roleName} of capability ${c.namespace}/${c.name} has no current holder, so no one answers for it and its workloads are not admitted: add a person as a holder, or renew a holder's attestedUntil.`,
    );
    return causes.done();
  }
  const lead = causes.leadTime(c.namespace, c, 'AttestationExpiring');
  for (const holder of current) causes.changesAt(holder.until, holder.until - lead);
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
  return causes.done();
}

/** DelegationExpiring and DelegationExpired of one capability, per ServiceAccount. */
export function delegationTrigger(
  snapshot: GovernanceSnapshot,
  c: IndexedCapability,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
  const { spec } = c.capability;
  if (!spec.delegationRequired && spec.riskTier !== 'High') return causes.done();
  const who = `a current holder of role ${spec.accountableRole}`;
  const lead = causes.leadTime(c.namespace, c, 'DelegationExpiring');
  const describe = (d: IndexedDelegation) =>
    `Delegation ${d.namespace}/${d.name} of capability ${c.name} to ServiceAccount ${d.serviceAccount}`;
  for (const account of snapshot.delegatedServiceAccounts.get(objectKey(c.namespace, c.name)) ??
    []) {
    // Latest validUntil first: the first active one is the one that lasts longest.
    const delegations = snapshot.delegations.get(delegationKey(c.namespace, c.name, account)) ?? [];
    for (const d of delegations) causes.changesAt(d.from, d.until, d.until - lead);
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
  return causes.done();
}

/**
 * CapabilitySuspended: a suspended capability whose workloads still run (`findings` are the
 * capability's own). The findings carry the clock: they change when the chain's times pass.
 */
export function suspendedTrigger(
  snapshot: GovernanceSnapshot,
  c: IndexedCapability,
  findings: readonly Finding[],
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
  const { spec } = c.capability;
  if (!spec.suspend) return causes.done();
  const left = findings.filter((f) => spec.stopAction === 'DenyNew' || !f.stoppable);
  if (left.length === 0) return causes.done();
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
  return causes.done();
}

/** ExemptAIWorkload, BoundaryViolation and UnanchoredWorkload of one audited workload. */
export function findingTrigger(
  snapshot: GovernanceSnapshot,
  finding: Finding,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
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
    causes.add(
      namespace,
      capability,
      'BoundaryViolation',
      finding.workload,
      findingMessage(finding),
    );
  } else if (finding.reason !== 'CapabilitySuspended' && CHAIN_FAILURES.has(finding.reason)) {
    causes.add(
      namespace,
      capability,
      'UnanchoredWorkload',
      finding.workload,
      `${subject} runs without an accountability chain (${finding.reason}): ${findingMessage(finding)}`,
    );
  }
  return causes.done();
}

/** ExemptionExpired of one approved Exemption. */
export function exemptionTrigger(
  snapshot: GovernanceSnapshot,
  e: IndexedExemption,
  now: number,
): Triggered {
  const causes = new Trigger(snapshot, now);
  if (!e.approved) return causes.done();
  causes.changesAt(e.expires);
  if (e.expires > now) return causes.done();
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
  return causes.done();
}

/** The findings of each capability, by `namespace/capability`. */
export function findingsByCapability(findings: readonly Finding[]): Map<string, Finding[]> {
  const grouped = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.capability === undefined) continue;
    const key = objectKey(finding.workload.namespace ?? '', finding.capability);
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [finding]);
    else list.push(finding);
  }
  return grouped;
}

/** The triggers of one capability: its role, its delegations, its suspension (`findings` are its own). */
export function capabilityTriggers(
  snapshot: GovernanceSnapshot,
  capability: IndexedCapability,
  findings: readonly Finding[],
  now: number,
): Triggered[] {
  return [
    roleTrigger(snapshot, capability, now),
    delegationTrigger(snapshot, capability, now),
    suspendedTrigger(snapshot, capability, findings, now),
  ];
}

/**
 * Every trigger of the snapshot evaluated at `now`, from the governance snapshot
 * and what the background audit found running: per capability its role, delegation and
 * suspension triggers, then one per finding and one per exemption. Pure; linear in the input.
 */
export function* escalationTriggers(
  snapshot: GovernanceSnapshot,
  findings: readonly Finding[],
  now: number,
): Generator<Triggered> {
  const byCapability = findingsByCapability(findings);
  for (const [key, capability] of snapshot.capabilities) {
    yield* capabilityTriggers(snapshot, capability, byCapability.get(key) ?? [], now);
  }
  for (const finding of findings) yield findingTrigger(snapshot, finding, now);
  for (const exemptions of snapshot.exemptions.values()) {
    for (const e of exemptions) yield exemptionTrigger(snapshot, e, now);
  }
}

/** The causes of many triggers, one per `namespace/key` (the last wins), sorted by name. */
export function uniqueCauses(triggered: Iterable<Triggered>): Cause[] {
  const unique = new Map<string, Cause>();
  for (const { causes } of triggered) {
    for (const cause of causes) {
      unique.set(`${cause.namespace}/${cause.key}`, cause);
    }
  }
  return [...unique.values()].sort((a, b) =>
    compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`),
  );
}

/**
 * Every cause of escalation at `now`: the Escalations that should be open. A trigger that the
 * routing EscalationPolicy does not list raises none. Sorted by namespace and name; pure.
 */
export function escalationCauses(
  snapshot: GovernanceSnapshot,
  findings: readonly Finding[],
  now: number,
): Cause[] {
  return uniqueCauses(escalationTriggers(snapshot, findings, now));
}
