import type { Capability, Escalation } from '../../api/index.js';
import { delegationState } from '../chain/delegation.js';
import {
  countByCapability,
  findingMessage,
  isAnchored,
  type Finding,
} from '../escalation/audit.js';
import { isResolved } from '../escalation/episode.js';
import {
  objectKey,
  type GovernanceObjects,
  type GovernanceSnapshot,
  type IndexedCapability,
} from '../snapshot.js';
import { capabilityReadiness, NO_WORKLOADS } from '../status/capability.js';
import { indexedDelegation } from '../status/delegation.js';
import { exemptionState, indexedExemption } from '../status/exemption.js';
import { formatSeconds } from '../status/conditions.js';
import { formatTime } from '../time.js';
import { graphRows } from './interactions.js';
import type {
  CapabilityRow,
  DelegationRow,
  EscalationRow,
  ExemptionRow,
  Facets,
  Filterable,
  FindingRow,
  HolderRow,
  Register,
} from './rows.js';
import { compareText } from '../text.js';

/** What the register is computed from: the cluster as `oos` reads it (a ClusterView fits). */
export interface RegisterInput {
  readonly snapshot: GovernanceSnapshot;
  readonly objects: GovernanceObjects;
  /** What the background audit concluded about every running AI workload. */
  readonly findings: readonly Finding[];
  readonly now: Date;
}

/** Lookups shared by the row builders, each computed once. */
class Context {
  private readonly holderCache = new Map<string, readonly HolderRow[]>();

  constructor(
    readonly snapshot: GovernanceSnapshot,
    readonly now: number,
  ) {}

  /** Every holder of `role`, current ones first; empty when the role does not exist. */
  holders(role: string): readonly HolderRow[] {
    let rows = this.holderCache.get(role);
    if (rows === undefined) {
      rows = (this.snapshot.roles.get(role)?.holders ?? []).map((holder) => ({
        user: holder.user,
        name: holder.name,
        attestedUntil: Number.isFinite(holder.until) ? formatTime(holder.until) : undefined,
        current: holder.until > this.now,
        remainingMs: holder.until - this.now,
      }));
      this.holderCache.set(role, rows);
    }
    return rows;
  }

  /** The users who currently hold any of `roles`. */
  currentPeople(roles: readonly string[]): string[] {
    return roles.flatMap((role) =>
      this.holders(role)
        .filter((holder) => holder.current)
        .map((holder) => holder.user),
    );
  }

  capability(namespace: string, name: string | undefined): IndexedCapability | undefined {
    return name === undefined
      ? undefined
      : this.snapshot.capabilities.get(objectKey(namespace, name));
  }

  /** The accountable role of a capability, as a list of zero or one role. */
  roleOf(namespace: string, capability: string | undefined): string[] {
    const role = this.capability(namespace, capability)?.capability.spec.accountableRole;
    return role === undefined ? [] : [role];
  }

  /** The filter fields of a row about `roles`, with the people stamped on it. */
  filterable(
    namespace: string,
    roles: readonly string[],
    stamped: readonly (string | undefined)[],
  ): Filterable {
    const unique = [...new Set(roles)];
    const people = new Set(this.currentPeople(unique));
    for (const person of stamped) if (person !== undefined) people.add(person);
    return { namespace, roles: unique, people: [...people] };
  }
}

function byNamespaceAndName<T extends { readonly namespace: string; readonly name: string }>(
  a: T,
  b: T,
): number {
  return a.namespace === b.namespace
    ? compareText(a.name, b.name)
    : compareText(a.namespace, b.namespace);
}

function openEscalations(objects: GovernanceObjects): Escalation[] {
  return (objects.escalations ?? []).filter((escalation) => !isResolved(escalation));
}

function capabilityRows(
  context: Context,
  findings: readonly Finding[],
  open: readonly Escalation[],
): CapabilityRow[] {
  const counts = countByCapability(findings);
  const escalationCounts = new Map<string, number>();
  for (const escalation of open) {
    const { capability } = escalation.spec;
    if (capability === undefined) continue;
    const key = objectKey(escalation.metadata.namespace ?? '', capability);
    escalationCounts.set(key, (escalationCounts.get(key) ?? 0) + 1);
  }
  const rows: CapabilityRow[] = [];
  for (const [key, indexed] of context.snapshot.capabilities) {
    const { namespace, name } = indexed;
    const spec: Capability['spec'] = indexed.capability.spec;
    const role = spec.accountableRole;
    const holders = context.holders(role);
    const count = counts.get(key) ?? NO_WORKLOADS;
    // The Ready condition the controller writes, computed from the same snapshot: never read back.
    const { ready, active } = capabilityReadiness(
      indexed.capability,
      context.snapshot,
      context.now,
    );
    rows.push({
      ...context.filterable(namespace, [role], [spec.suspend ? spec.suspendedBy : undefined]),
      name,
      description: spec.description,
      role,
      roleTitle: context.snapshot.roles.get(role)?.role.spec.title,
      holders,
      vacant: !holders.some((holder) => holder.current),
      autonomy: spec.autonomy,
      riskTier: spec.riskTier,
      suspended: spec.suspend,
      suspendedBy: spec.suspend ? spec.suspendedBy : undefined,
      ready: ready.status === 'True',
      readyReason: ready.reason,
      readyMessage: ready.message,
      activeDelegations: active.length,
      openEscalations: escalationCounts.get(key) ?? 0,
      running: count.running,
      anchored: count.anchored,
    });
  }
  return rows.sort(byNamespaceAndName);
}

/** Delegations that are active or not yet valid (expired and revoked ones are history). */
function delegationRows(context: Context, objects: GovernanceObjects): DelegationRow[] {
  const rows: DelegationRow[] = [];
  for (const delegation of objects.delegations ?? []) {
    const indexed = indexedDelegation(delegation, context.snapshot);
    if (indexed === undefined) continue;
    const state = delegationState(indexed, context.now);
    if (state !== 'Active' && state !== 'NotYetValid') continue;
    const { spec } = delegation;
    rows.push({
      ...context.filterable(indexed.namespace, context.roleOf(indexed.namespace, spec.capability), [
        spec.grantedBy,
      ]),
      name: indexed.name,
      capability: spec.capability,
      serviceAccount: spec.serviceAccount,
      grantedBy: spec.grantedBy,
      validUntil: formatTime(indexed.until),
      state,
      remainingMs: indexed.until - context.now,
    });
  }
  return rows.sort(byNamespaceAndName);
}

function escalationRows(context: Context, open: readonly Escalation[]): EscalationRow[] {
  return open
    .map((escalation): EscalationRow => {
      const { spec, status } = escalation;
      const namespace = escalation.metadata.namespace ?? '';
      const accountable =
        spec.accountableRole === undefined
          ? context.roleOf(namespace, spec.capability)
          : [spec.accountableRole];
      return {
        ...context.filterable(
          namespace,
          [...accountable, ...(status?.notifiedRoles ?? [])],
          [spec.acknowledgedBy],
        ),
        name: escalation.metadata.name ?? '',
        trigger: spec.trigger,
        severity: spec.severity,
        subject: spec.subject,
        capability: spec.capability,
        accountableRole: accountable[0],
        summary: spec.summary,
        level: status?.level ?? 0,
        acknowledged: spec.acknowledged,
        acknowledgedBy: spec.acknowledgedBy,
      };
    })
    .sort(byNamespaceAndName);
}

/** Exemptions in effect now: approved (the approval counting) and unexpired. */
function exemptionRows(context: Context, objects: GovernanceObjects): ExemptionRow[] {
  const rows: ExemptionRow[] = [];
  for (const exemption of objects.exemptions ?? []) {
    const indexed = indexedExemption(exemption, context.snapshot);
    if (indexed === undefined || exemptionState(indexed, context.now) !== 'Active') continue;
    const { spec } = exemption;
    rows.push({
      ...context.filterable(indexed.namespace, context.roleOf(indexed.target, spec.capability), [
        spec.requestedBy,
        spec.approvedBy,
      ]),
      name: indexed.name,
      target: indexed.target,
      capability: spec.capability,
      justification: spec.justification,
      requestedBy: spec.requestedBy,
      approvedBy: spec.approvedBy,
      expiresAt: formatTime(indexed.expires),
      remainingMs: indexed.expires - context.now,
    });
  }
  return rows.sort(byNamespaceAndName);
}

/** One row per audited workload (the caller chooses which findings). */
function findingRow(context: Context, finding: Finding): FindingRow {
  const namespace = finding.workload.namespace ?? '';
  return {
    ...context.filterable(namespace, context.roleOf(namespace, finding.capability), []),
    workload: { ...finding.workload, namespace },
    reason: finding.reason,
    message: findingMessage(finding),
    capability: finding.capability,
    anchored: isAnchored(finding),
  };
}

function findingRows(context: Context, findings: readonly Finding[]): FindingRow[] {
  return findings
    .filter((finding) => !isAnchored(finding))
    .map((finding) => findingRow(context, finding))
    .sort((a, b) =>
      byNamespaceAndName(
        { namespace: a.namespace, name: `${a.workload.kind}/${a.workload.name}` },
        { namespace: b.namespace, name: `${b.workload.kind}/${b.workload.name}` },
      ),
    );
}

/** The distinct namespaces, roles and people of `rows`, sorted. */
export function facetsOf(rows: readonly Filterable[]): Facets {
  const namespaces = new Set<string>();
  const roles = new Set<string>();
  const people = new Set<string>();
  for (const row of rows) {
    namespaces.add(row.namespace);
    for (const role of row.roles) roles.add(role);
    for (const person of row.people) people.add(person);
  }
  const sorted = (values: Set<string>) => [...values].sort(compareText);
  return { namespaces: sorted(namespaces), roles: sorted(roles), people: sorted(people) };
}

/** The register of the cluster at `input.now`. Pure; O(n log n) in the number of objects. */
export function buildRegister(input: RegisterInput): Register {
  const context = new Context(input.snapshot, input.now.getTime());
  const open = openEscalations(input.objects);
  const capabilities = capabilityRows(context, input.findings, open);
  const byKey = new Map(capabilities.map((row) => [objectKey(row.namespace, row.name), row]));
  const delegations = delegationRows(context, input.objects);
  const escalations = escalationRows(context, open);
  const exemptions = exemptionRows(context, input.objects);
  const findings = findingRows(context, input.findings);
  return {
    at: formatSeconds(context.now),
    capabilities,
    delegations,
    escalations,
    exemptions,
    findings,
    interactions: graphRows(input.snapshot, (key) => byKey.get(key)),
    facets: facetsOf([...capabilities, ...delegations, ...escalations, ...exemptions, ...findings]),
  };
}

/** Rows of `findings`, anchored ones included, in their order (for the chain view). */
export function findingRowsOf(
  snapshot: GovernanceSnapshot,
  now: Date,
  findings: readonly Finding[],
): FindingRow[] {
  const context = new Context(snapshot, now.getTime());
  return findings.map((finding) => findingRow(context, finding));
}
