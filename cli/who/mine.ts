import { isResolved } from '../../engine/escalation/episode.js';
import { delegationState } from '../../engine/index.js';
import { delegationKey, objectKey } from '../../engine/snapshot.js';
import type { ClusterView } from '../cluster/view.js';
import { awaitingAnswer, snapshotGraph, type AnsweredEdgeReport } from './interactions.js';
import {
  capabilityReport,
  delegationReport,
  escalationReport,
  exemptionReport,
  type CapabilityReport,
  type DelegationReport,
  type EscalationReport,
  type ExemptionReport,
} from './report.js';
import { compareText } from '../../engine/text.js';

/** `oos mine` / `oos who --user`: everything one person is accountable for. Stable JSON shape. */
export interface MineReport {
  readonly user: string;
  /** Roles that list the person as a holder; `current` when the attestation has not lapsed. */
  readonly roles: readonly {
    readonly name: string;
    readonly title: string;
    readonly attestedUntil: string | null;
    readonly current: boolean;
  }[];
  /** Capabilities whose accountable role the person holds. */
  readonly capabilities: readonly (CapabilityReport & { readonly accountableRole: string })[];
  /** Delegations the person granted (stamped grantedBy). */
  readonly delegationsGranted: readonly DelegationReport[];
  /** Open escalations of those capabilities or roles, or that notify a role the person holds. */
  readonly escalations: readonly (EscalationReport & {
    readonly why: 'accountable' | 'notified';
  })[];
  /** Exemptions of those capabilities waiting for an approval the person may give. */
  readonly exemptionsAwaitingApproval: readonly ExemptionReport[];
  /** Exemptions the person approved. */
  readonly exemptionsApproved: readonly ExemptionReport[];
  /** Edges between capabilities that wait for a role the person holds to declare its side. */
  readonly interactionsToAnswer: readonly AnsweredEdgeReport[];
  readonly evaluatedAt: string;
  readonly warnings: readonly string[];
}

/** Everything `user` is accountable for in the view. Pure. */
export function mineReport(view: ClusterView, user: string): MineReport {
  const now = view.now.getTime();
  const roles = [...view.snapshot.roles.values()]
    .filter((role) => role.byUser.has(user))
    .map((role) => {
      const holder = role.role.spec.holders.find((h) => h.user === user);
      return {
        name: role.name,
        title: role.role.spec.title,
        attestedUntil: holder?.attestedUntil ?? null,
        current: (role.byUser.get(user)?.until ?? -Infinity) > now,
      };
    })
    .sort((a, b) => compareText(a.name, b.name));
  const held = new Set(roles.map((r) => r.name));
  const capabilities = [...view.snapshot.capabilities.values()]
    .filter((c) => held.has(c.capability.spec.accountableRole))
    .map((c) => ({
      ...capabilityReport(view, c.namespace, c.name),
      accountableRole: c.capability.spec.accountableRole,
    }));
  const accountableFor = new Set(capabilities.map((c) => objectKey(c.namespace, c.name)));
  const delegationsGranted = (view.objects.delegations ?? [])
    .filter((d) => d.spec.grantedBy === user)
    .map((d) => {
      const namespace = d.metadata.namespace ?? '';
      const indexed = view.snapshot.delegations
        .get(delegationKey(namespace, d.spec.capability, d.spec.serviceAccount))
        ?.find((i) => i.name === d.metadata.name);
      return delegationReport(
        view,
        d,
        indexed === undefined ? 'Unknown' : delegationState(indexed, now),
      );
    });
  const escalations = (view.objects.escalations ?? [])
    .filter((e) => !isResolved(e))
    .flatMap((e) => {
      const namespace = e.metadata.namespace ?? '';
      const accountable =
        (e.spec.accountableRole !== undefined && held.has(e.spec.accountableRole)) ||
        (e.spec.capability !== undefined &&
          accountableFor.has(objectKey(namespace, e.spec.capability)));
      const notified = (e.status?.notifiedRoles ?? []).some((role) => held.has(role));
      if (!accountable && !notified) return [];
      return [
        {
          ...escalationReport(e),
          why: accountable ? ('accountable' as const) : ('notified' as const),
        },
      ];
    });
  const exemptionObjects = new Map(
    (view.objects.exemptions ?? []).map((e) => [
      objectKey(e.metadata.namespace ?? '', e.metadata.name ?? ''),
      e,
    ]),
  );
  const allExemptions = [...view.snapshot.exemptions.values()].flat().map((indexed) => ({
    indexed,
    object: exemptionObjects.get(objectKey(indexed.namespace, indexed.name)),
  }));
  const exemptionsAwaitingApproval = allExemptions
    .filter(
      ({ indexed, object }) =>
        object !== undefined &&
        !object.spec.approved &&
        indexed.expires > now &&
        object.spec.requestedBy !== user &&
        indexed.capability !== undefined &&
        accountableFor.has(objectKey(indexed.target, indexed.capability)),
    )
    .map(({ indexed, object }) => exemptionReport(indexed, object, now));
  const exemptionsApproved = allExemptions
    .filter(({ object }) => object?.spec.approvedBy === user)
    .map(({ indexed, object }) => exemptionReport(indexed, object, now));
  return {
    user,
    roles,
    capabilities,
    delegationsGranted,
    escalations,
    exemptionsAwaitingApproval,
    exemptionsApproved,
    interactionsToAnswer: awaitingAnswer(snapshotGraph(view.snapshot), held),
    evaluatedAt: view.now.toISOString(),
    warnings: view.warnings,
  };
}
