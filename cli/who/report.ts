import type { Delegation, Exemption } from '../../api/index.js';
import { exemptionCovers } from '../../engine/chain/exemption.js';
import { isResolved } from '../../engine/escalation/episode.js';
import { AUDIT_IDENTITY } from '../../engine/escalation/index.js';
import {
  currentHolders,
  decide,
  delegationState,
  splitApiVersion,
  type Decision,
} from '../../engine/index.js';
import { stringAt, type JsonRecord } from '../../engine/json.js';
import { delegationKey, objectKey, type IndexedExemption } from '../../engine/snapshot.js';
import { capabilityLabel } from '../../engine/stop/workload.js';
import { formatTime } from '../../engine/time.js';
import { withoutState } from '../../engine/workload/state.js';
import { readWorkload } from '../../engine/workload/view.js';
import type { ClusterView } from '../cluster/view.js';
import { interactionsReport, snapshotGraph, type InteractionsReport } from './interactions.js';

/** Reasons under which a workload needs nothing more: anchored, exempted, or not AI at all. */
const SETTLED = new Set(['Anchored', 'Exempted', 'NotAIWorkload', 'NotGoverned']);

export interface HolderReport {
  readonly user: string;
  readonly name: string;
  readonly email: string;
  readonly attestedUntil: string;
  readonly current: boolean;
}

export interface RoleReport {
  readonly name: string;
  readonly exists: boolean;
  readonly title: string | null;
  readonly holders: readonly HolderReport[];
  readonly vacant: boolean;
}

export interface CapabilityReport {
  readonly namespace: string;
  readonly name: string;
  readonly exists: boolean;
  readonly autonomy: string | null;
  readonly riskTier: string | null;
  readonly suspended: boolean;
  readonly stopAction: string | null;
  readonly suspendedBy: string | null;
  readonly suspendReason: string | null;
  readonly delegationRequired: boolean | null;
}

export interface DelegationReport {
  readonly namespace: string;
  readonly name: string;
  readonly capability: string;
  readonly serviceAccount: string;
  readonly grantedBy: string | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  /** Active, Expired, NotYetValid or Revoked at the time of the view. */
  readonly state: string;
}

export interface EscalationReport {
  readonly namespace: string;
  readonly name: string;
  readonly trigger: string;
  readonly severity: string;
  readonly subject: string;
  readonly level: number;
  readonly notifiedRoles: readonly string[];
  readonly acknowledged: boolean;
  readonly acknowledgedBy: string | null;
  readonly summary: string;
}

export interface ExemptionReport {
  readonly namespace: string;
  readonly name: string;
  /** Active (covers it now), PendingApproval, Expired, or NotHonoured (see `why`). */
  readonly state: 'Active' | 'PendingApproval' | 'Expired' | 'NotHonoured';
  readonly why: string | null;
  readonly requestedBy: string | null;
  readonly approvedBy: string | null;
  readonly expiresAt: string | null;
  readonly justification: string;
}

/** `oos who <kind>/<name>`: the whole chain of one workload. Stable JSON shape (cli/README.md). */
export interface WhoReport {
  readonly workload: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
  };
  /** Anchored, exempted or not an AI workload: nothing is missing. `oos who` exits 1 otherwise. */
  readonly anchored: boolean;
  /** The engine's decision as admission would make it now on CREATE. */
  readonly decision: {
    readonly allowed: boolean;
    readonly reason: string;
    readonly message: string;
    readonly mode: string;
    readonly warnings: readonly string[];
    readonly detection: readonly string[];
  };
  readonly capability: CapabilityReport | null;
  readonly accountableRole: RoleReport | null;
  /** The ServiceAccounts its pods run as. */
  readonly serviceAccounts: readonly string[];
  /** The latest Delegation of the capability to each of those ServiceAccounts. */
  readonly delegations: readonly DelegationReport[];
  /** Open Escalations about the workload or its capability. */
  readonly escalations: readonly EscalationReport[];
  /** Exemptions of its namespace whose scope covers it, whatever their state. */
  readonly exemptions: readonly ExemptionReport[];
  /** Its capability's interactions and how each stands; null without an existing capability. */
  readonly interactions: InteractionsReport | null;
  readonly evaluatedAt: string;
  /** Partial reads of the cluster: the report may lack what these name. */
  readonly warnings: readonly string[];
}

/** The engine's decision on the workload as admission would make it now (CREATE). */
export function decideNow(view: ClusterView, workload: JsonRecord): Decision {
  const apiVersion = stringAt(workload, 'apiVersion') ?? '';
  const namespace = stringAt(workload, 'metadata', 'namespace') ?? '';
  return decide(
    {
      operation: 'CREATE',
      kind: { ...splitApiVersion(apiVersion), kind: stringAt(workload, 'kind') ?? '' },
      namespace,
      name: stringAt(workload, 'metadata', 'name'),
      // The stop button's state on a workload is the operator's own, not a forgery.
      object: withoutState(workload),
      userInfo: AUDIT_IDENTITY,
      namespaceLabels: view.namespaceLabels(namespace),
    },
    view.snapshot,
    view.now,
  );
}

export function roleReport(view: ClusterView, name: string): RoleReport {
  const indexed = view.snapshot.roles.get(name);
  if (indexed === undefined) {
    return { name, exists: false, title: null, holders: [], vacant: true };
  }
  const now = view.now.getTime();
  const current = new Set(currentHolders(indexed, now).map((h) => h.user));
  return {
    name,
    exists: true,
    title: indexed.role.spec.title,
    holders: indexed.role.spec.holders.map((holder) => ({
      user: holder.user,
      name: holder.name,
      email: holder.email,
      attestedUntil: holder.attestedUntil,
      current: current.has(holder.user),
    })),
    vacant: current.size === 0,
  };
}

export function capabilityReport(
  view: ClusterView,
  namespace: string,
  name: string,
): CapabilityReport {
  const spec = view.snapshot.capabilities.get(objectKey(namespace, name))?.capability.spec;
  return {
    namespace,
    name,
    exists: spec !== undefined,
    autonomy: spec?.autonomy ?? null,
    riskTier: spec?.riskTier ?? null,
    suspended: spec?.suspend ?? false,
    stopAction: spec?.stopAction ?? null,
    suspendedBy: spec?.suspendedBy ?? null,
    suspendReason: spec?.suspendReason ?? null,
    delegationRequired: spec?.delegationRequired ?? null,
  };
}

/** Delegations by `namespace/name`, for the fields the snapshot does not index (grantedBy). */
function delegationObjects(view: ClusterView): Map<string, Delegation> {
  return new Map(
    (view.objects.delegations ?? []).map((d) => [
      objectKey(d.metadata.namespace ?? '', d.metadata.name ?? ''),
      d,
    ]),
  );
}

export function delegationReport(
  view: ClusterView,
  delegation: Delegation,
  state: string,
): DelegationReport {
  return {
    namespace: delegation.metadata.namespace ?? '',
    name: delegation.metadata.name ?? '',
    capability: delegation.spec.capability,
    serviceAccount: delegation.spec.serviceAccount,
    grantedBy: delegation.spec.grantedBy ?? null,
    validFrom: delegation.spec.validFrom ?? null,
    validUntil: delegation.spec.validUntil,
    state,
  };
}

export function escalationReport(
  escalation: NonNullable<ClusterView['objects']['escalations']>[number],
): EscalationReport {
  const { spec, status, metadata } = escalation;
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    trigger: spec.trigger,
    severity: spec.severity,
    subject: `${spec.subject.kind} ${spec.subject.name}`,
    level: status?.level ?? 0,
    notifiedRoles: status?.notifiedRoles ?? [],
    acknowledged: spec.acknowledged,
    acknowledgedBy: spec.acknowledgedBy ?? null,
    summary: spec.summary,
  };
}

function exemptionState(indexed: IndexedExemption, now: number): ExemptionReport['state'] {
  if (indexed.unhonoured !== undefined) return 'NotHonoured';
  if (indexed.expires <= now) return 'Expired';
  return indexed.approved ? 'Active' : 'PendingApproval';
}

export function exemptionReport(
  indexed: IndexedExemption,
  exemption: Exemption | undefined,
  now: number,
): ExemptionReport {
  return {
    namespace: indexed.namespace,
    name: indexed.name,
    state: exemptionState(indexed, now),
    why: indexed.unhonoured ?? null,
    requestedBy: exemption?.spec.requestedBy ?? null,
    approvedBy: indexed.approvedBy ?? null,
    expiresAt:
      exemption?.spec.expiresAt ?? (indexed.expires > 0 ? formatTime(indexed.expires) : null),
    justification: exemption?.spec.justification ?? '',
  };
}

/** The whole chain of `workload` (with apiVersion and kind) in the view. Pure. */
export function whoReport(view: ClusterView, workload: JsonRecord): WhoReport {
  const apiVersion = stringAt(workload, 'apiVersion') ?? '';
  const kind = stringAt(workload, 'kind') ?? '';
  const namespace = stringAt(workload, 'metadata', 'namespace') ?? '';
  const name = stringAt(workload, 'metadata', 'name') ?? '';
  const now = view.now.getTime();
  const decision = decideNow(view, workload);
  const capabilityName = decision.chain.capability?.name ?? capabilityLabel(workload);
  const capability =
    capabilityName === undefined ? null : capabilityReport(view, namespace, capabilityName);
  const roleName =
    decision.chain.role ??
    view.snapshot.capabilities.get(objectKey(namespace, capabilityName ?? ''))?.capability.spec
      .accountableRole;
  const workloadView = readWorkload(
    workload,
    { ...splitApiVersion(apiVersion), kind },
    namespace,
    name,
  );
  const serviceAccounts = [...new Set(workloadView.pods.map((pod) => pod.serviceAccount))].sort();
  const byName = delegationObjects(view);
  const delegations =
    capabilityName === undefined
      ? []
      : serviceAccounts.flatMap((account) => {
          const latest = view.snapshot.delegations.get(
            delegationKey(namespace, capabilityName, account),
          )?.[0];
          const object = latest && byName.get(objectKey(latest.namespace, latest.name));
          return latest === undefined || object === undefined
            ? []
            : [delegationReport(view, object, delegationState(latest, now))];
        });
  const escalations = (view.objects.escalations ?? [])
    .filter(
      (e) =>
        e.metadata.namespace === namespace &&
        !isResolved(e) &&
        ((e.spec.subject.kind === kind && e.spec.subject.name === name) ||
          (capabilityName !== undefined && e.spec.capability === capabilityName)),
    )
    .map(escalationReport);
  const exemptionObjects = new Map(
    (view.objects.exemptions ?? []).map((e) => [
      objectKey(e.metadata.namespace ?? '', e.metadata.name ?? ''),
      e,
    ]),
  );
  const exemptions = (view.snapshot.exemptions.get(namespace) ?? [])
    // Whether its scope covers the workload, approved or not (the engine's own matcher).
    .filter((e) => exemptionCovers({ ...e, approved: true, expires: Infinity }, workloadView, now))
    .map((e) => exemptionReport(e, exemptionObjects.get(objectKey(e.namespace, e.name)), now));
  return {
    workload: { apiVersion, kind, namespace, name },
    anchored: SETTLED.has(decision.reason),
    decision: {
      allowed: decision.allowed,
      reason: decision.reason,
      message: decision.message,
      mode: decision.mode,
      warnings: decision.warnings,
      detection: decision.detection,
    },
    capability,
    accountableRole: roleName === undefined ? null : roleReport(view, roleName),
    serviceAccounts,
    delegations,
    escalations,
    exemptions,
    interactions:
      capabilityName === undefined
        ? null
        : interactionsReport(
            snapshotGraph(view.snapshot),
            view.snapshot,
            objectKey(namespace, capabilityName),
          ),
    evaluatedAt: view.now.toISOString(),
    warnings: view.warnings,
  };
}
