/** The oos kinds whose status the controller keeps true: how each is listed, computed and timed. */
import type {
  AccountableRole,
  Capability,
  Condition,
  Delegation,
  Exemption,
  GovernancePolicy,
} from '../../api/index.js';
import type { InteractionEntry } from '../coordination/index.js';
import { objectKey, type GovernanceObjects, type GovernanceSnapshot } from '../snapshot.js';
import { accountableRoleStatus } from '../status/accountable-role.js';
import { capabilityStatus, NO_WORKLOADS, type WorkloadCount } from '../status/capability.js';
import { delegationStatus, indexedDelegation } from '../status/delegation.js';
import { exemptionStatus, indexedExemption } from '../status/exemption.js';
import { governancePolicyStatus } from '../status/governance-policy.js';
import {
  capabilityChangesAt,
  delegationChangesAt,
  exemptionChangesAt,
  roleChangesAt,
} from './clocks.js';

/** An oos object with the fields status planning reads. */
export interface StatusObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string | undefined;
    readonly namespace?: string | undefined;
    readonly uid?: string | undefined;
    readonly resourceVersion?: string | undefined;
    readonly generation?: number | undefined;
  };
  readonly status?: { readonly conditions?: readonly Condition[] | undefined } | undefined;
}

/** What a status is computed from besides the object. */
export interface StatusInputs {
  readonly snapshot: GovernanceSnapshot;
  /** Workloads running and anchored, by `namespace/capability`. */
  readonly counts: ReadonlyMap<string, WorkloadCount>;
  /** Each capability's declared interactions as the interaction graph sees them. */
  readonly interactionEntries: (key: string) => readonly InteractionEntry[];
}

export interface StatusKind<T extends StatusObject = StatusObject> {
  readonly list: (objects: GovernanceObjects) => readonly T[];
  readonly compute: (object: T, inputs: StatusInputs, now: number) => object;
  /** The next instant after `now` at which the computed status changes by the clock alone. */
  readonly changesAt: (object: T, snapshot: GovernanceSnapshot, now: number) => number | undefined;
}

function kind<T extends StatusObject>(spec: StatusKind<T>): StatusKind {
  return spec as unknown as StatusKind;
}

const nameOf = (o: StatusObject) => o.metadata.name ?? '';
const namespaceOf = (o: StatusObject) => o.metadata.namespace ?? '';

/** By kind name. */
export const STATUS_KINDS: Readonly<Record<string, StatusKind>> = {
  AccountableRole: kind<AccountableRole>({
    list: (o) => o.roles ?? [],
    compute: (role, i, now) => accountableRoleStatus(role, i.snapshot, now),
    changesAt: (role, snapshot, now) => roleChangesAt(snapshot.roles.get(nameOf(role)), now),
  }),
  Capability: kind<Capability>({
    list: (o) => o.capabilities ?? [],
    compute: (capability, i, now) =>
      capabilityStatus(
        capability,
        i.snapshot,
        i.counts.get(objectKey(namespaceOf(capability), nameOf(capability))) ?? NO_WORKLOADS,
        now,
        i.interactionEntries(objectKey(namespaceOf(capability), nameOf(capability))),
      ),
    changesAt: (capability, snapshot, now) =>
      capabilityChangesAt(
        snapshot,
        namespaceOf(capability),
        nameOf(capability),
        capability.spec.accountableRole,
        now,
      ),
  }),
  Delegation: kind<Delegation>({
    list: (o) => o.delegations ?? [],
    compute: (delegation, i, now) => delegationStatus(delegation, i.snapshot, now),
    changesAt: (delegation, snapshot, now) => {
      const indexed = indexedDelegation(delegation, snapshot);
      return indexed === undefined ? undefined : delegationChangesAt(snapshot, indexed, now);
    },
  }),
  Exemption: kind<Exemption>({
    list: (o) => o.exemptions ?? [],
    compute: (exemption, i, now) => exemptionStatus(exemption, i.snapshot, now),
    changesAt: (exemption, snapshot, now) =>
      exemptionChangesAt(indexedExemption(exemption, snapshot), exemption.spec.expiresAt, now),
  }),
  GovernancePolicy: kind<GovernancePolicy>({
    list: (o) => o.policies ?? [],
    compute: (policy, i, now) => governancePolicyStatus(policy, i.snapshot, now),
    changesAt: () => undefined,
  }),
};
