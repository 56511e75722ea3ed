import type {
  AccountableRole,
  Capability,
  Delegation,
  Escalation,
  EscalationPolicy,
  Exemption,
  GovernancePolicy,
  LabelSelector,
} from '../api/index.js';
import { isNarrowScope } from '../api/index.js';
import { isNaturalPerson } from './authority/identity.js';
import { groupKindKey } from './detection/config.js';
import { NO_DEVICES, type DeviceIndex } from './devices/index.js';
import { exemptionDigest } from './exemption-digest.js';
import { GlobList } from './glob.js';
import { once, sameItems } from './identity.js';
import { resolvePolicy, type ResolvedPolicy } from './policy.js';
import {
  indexDelegations,
  reindexDelegations,
  type IndexedDelegation,
} from './delegation-index.js';
import { objectKey } from './keys.js';
import { replacedPositions } from './list-delta.js';
import { withReplaced } from './replaced-map.js';
import { parseTime } from './time.js';

export { delegationKey, objectKey } from './keys.js';
export type { IndexedDelegation } from './delegation-index.js';

/** The governance objects of the cluster, parsed with the api/ schemas (defaults applied). */
export interface GovernanceObjects {
  readonly roles?: readonly AccountableRole[];
  readonly capabilities?: readonly Capability[];
  readonly delegations?: readonly Delegation[];
  readonly exemptions?: readonly Exemption[];
  readonly escalationPolicies?: readonly EscalationPolicy[];
  readonly escalations?: readonly Escalation[];
  readonly policies?: readonly GovernancePolicy[];
}

export interface EngineConfig {
  /** The namespace oos runs in: always exempt, and the only one whose Exemptions may name others. */
  readonly operatorNamespace?: string;
  /**
   * The username the operator acts as (its ServiceAccount in a cluster, the admin user when run
   * locally): the only identity that writes the status of the oos kinds and the `oos.dev/` state
   * it keeps on workloads, and deletes Escalations after their retention.
   */
  readonly operatorUser?: string;
}

export interface IndexedHolder {
  readonly user: string;
  readonly name: string;
  /** `attestedUntil` in ms; -Infinity when unreadable (never current). */
  readonly until: number;
}

export interface IndexedRole {
  readonly name: string;
  readonly role: AccountableRole;
  /** Latest attestation first, so the current holders are a prefix. */
  readonly holders: readonly IndexedHolder[];
  readonly byUser: ReadonlyMap<string, IndexedHolder>;
}

export interface IndexedCapability {
  readonly namespace: string;
  readonly name: string;
  readonly capability: Capability;
  /** `boundaries.allowedImages`, compiled; undefined allows any image. */
  readonly allowedImages: GlobList | undefined;
}

export interface IndexedExemption {
  /** Namespace the Exemption lives in. */
  readonly namespace: string;
  readonly name: string;
  /** Namespace whose workloads it covers. */
  readonly target: string;
  readonly capability: string | undefined;
  /**
   * The approval counts: approved, requester and approver stamped, both people and different,
   * the approval bound to the current content (approvedDigest), the scope narrow, and no longer
   * than maxExemption from creation. Checked again here, wherever the Exemption lives, for
   * objects that got in while the webhook was down or before these rules.
   */
  readonly approved: boolean;
  /** Why `spec.approved: true` does not count; undefined when it does or it is not approved. */
  readonly unhonoured?: string | undefined;
  readonly approvedBy: string | undefined;
  /** Who requested it (stamped by admission); optional: built by hand elsewhere. */
  readonly requestedBy?: string | undefined;
  /** expiresAt in ms; -Infinity when unreadable (always expired). */
  readonly expires: number;
  /** `groupKindKey`s of `scope.kinds`; undefined: any kind. */
  readonly kinds: ReadonlySet<string> | undefined;
  readonly names: ReadonlySet<string> | undefined;
  readonly selector: LabelSelector | undefined;
}

/**
 * The governance of the cluster, indexed once so a decision costs O(1) lookups. Anything that
 * depends on time (holder attestation, delegation and exemption validity) is kept as numbers and
 * evaluated at decision time against `now`.
 */
export interface GovernanceSnapshot {
  readonly policy: ResolvedPolicy;
  readonly operatorNamespace: string | undefined;
  /** See {@link EngineConfig.operatorUser}. */
  readonly operatorUser: string | undefined;
  /** By role name (AccountableRoles are cluster-scoped). */
  readonly roles: ReadonlyMap<string, IndexedRole>;
  /** By {@link objectKey} of namespace and name. */
  readonly capabilities: ReadonlyMap<string, IndexedCapability>;
  /** Sorted capability names per namespace, for messages that list them. */
  readonly capabilityNames: ReadonlyMap<string, readonly string[]>;
  /** By {@link delegationKey}; latest validUntil first, then by name (`delegation-index.ts`). */
  readonly delegations: ReadonlyMap<string, readonly IndexedDelegation[]>;
  /** Names of the ServiceAccounts holding any delegation of a capability, by {@link objectKey}. */
  readonly delegatedServiceAccounts: ReadonlyMap<string, readonly string[]>;
  /** By the namespace the exemption covers. */
  readonly exemptions: ReadonlyMap<string, readonly IndexedExemption[]>;
  readonly escalationPolicies: ReadonlyMap<string, EscalationPolicy>;
  readonly escalations: ReadonlyMap<string, Escalation>;
  /**
   * The cluster's Dynamic Resource Allocation objects (claims, templates, device classes), to tell
   * which devices a pod's `resourceClaims` ask for. {@link NO_DEVICES} unless {@link withDevices}
   * adds them: then every claim is unknown and counts as an accelerator (fail closed).
   */
  readonly devices: DeviceIndex;
}

/** The snapshot with the DRA objects of {@link indexDevices} (cheap: nothing is re-indexed). */
export function withDevices(
  snapshot: GovernanceSnapshot,
  devices: DeviceIndex,
): GovernanceSnapshot {
  return { ...snapshot, devices };
}

/** Whether `username` is the operator's own identity (never when the snapshot does not know it). */
export function isOperatorUser(snapshot: GovernanceSnapshot, username: string): boolean {
  const operator = snapshot.operatorUser;
  return operator !== undefined && operator !== '' && username === operator;
}

function timeOr(text: string | undefined, fallback: number): number {
  return parseTime(text) ?? fallback;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function namespaceOf(object: { readonly metadata: { readonly namespace?: string | undefined } }) {
  return object.metadata.namespace ?? '';
}

function nameOf(object: { readonly metadata: { readonly name?: string | undefined } }) {
  return object.metadata.name ?? '';
}

// The derived form of one object is computed once per object: a snapshot rebuilt after one change
// parses dates and compiles globs for that object only.
const imageGlobs = once((patterns: readonly string[]) => new GlobList(patterns));

const indexRole = once((role: AccountableRole): IndexedRole => {
  const holders = role.spec.holders
    .map((holder) => ({
      user: holder.user,
      name: holder.name,
      until: timeOr(holder.attestedUntil, -Infinity),
    }))
    .sort((a, b) => b.until - a.until);
  return { name: nameOf(role), role, holders, byUser: new Map(holders.map((h) => [h.user, h])) };
});

/** Why an Exemption's approval does not count, or undefined when it does. */
function approvalFlaw(exemption: Exemption, policy: ResolvedPolicy): string | undefined {
  const { spec, metadata } = exemption;
  const { requestedBy, approvedBy } = spec;
  if (requestedBy === undefined || approvedBy === undefined) {
    return 'requestedBy or approvedBy is not stamped';
  }
  if (!isNaturalPerson(requestedBy, policy) || !isNaturalPerson(approvedBy, policy)) {
    return 'requestedBy and approvedBy must be people';
  }
  if (requestedBy === approvedBy) return 'it was approved by its requester';
  if (spec.approvedDigest !== exemptionDigest(spec)) {
    return 'its content changed from what was approved (approvedDigest does not match)';
  }
  if (!isNarrowScope(spec.scope)) return 'its scope is not narrow';
  const created = parseTime(metadata.creationTimestamp);
  const expires = timeOr(spec.expiresAt, -Infinity);
  if (created !== undefined && expires - created > policy.maxExemptionMs) {
    return 'it runs longer than maxExemption of the GovernancePolicy';
  }
  return undefined;
}

/** Undefined for an Exemption that names another namespace without living in the oos one. */
function indexExemption(
  exemption: Exemption,
  operatorNamespace: string | undefined,
  policy: ResolvedPolicy,
): IndexedExemption | undefined {
  const { spec } = exemption;
  const namespace = namespaceOf(exemption);
  const target = spec.scope.namespace ?? namespace;
  if (target !== namespace && namespace !== operatorNamespace) return undefined;
  const flaw = spec.approved ? approvalFlaw(exemption, policy) : undefined;
  return {
    namespace,
    name: nameOf(exemption),
    target,
    capability: spec.capability,
    approved: spec.approved && flaw === undefined,
    unhonoured: flaw,
    approvedBy: spec.approvedBy,
    requestedBy: spec.requestedBy,
    expires: timeOr(spec.expiresAt, -Infinity),
    kinds: spec.scope.kinds && new Set(spec.scope.kinds.map(groupKindKey)),
    names: spec.scope.names && new Set(spec.scope.names),
    selector: spec.scope.selector,
  };
}

function byKey<T extends { readonly metadata: { readonly name?: string | undefined } }>(
  objects: readonly T[],
  key: (object: T) => string,
): Map<string, T> {
  return new Map(objects.map((object) => [key(object), object]));
}

/** A Capability as the snapshot indexes it, worked out once per parsed object. */
const indexCapability = once((capability: Capability): IndexedCapability => {
  const allowed = capability.spec.boundaries?.allowedImages;
  return {
    namespace: namespaceOf(capability),
    name: nameOf(capability),
    capability,
    allowedImages: allowed && imageGlobs(allowed),
  };
});

function indexCapabilities(list: readonly Capability[]): CapabilityIndex {
  const capabilities = new Map<string, IndexedCapability>();
  const capabilityNames = new Map<string, string[]>();
  for (const capability of list) {
    const indexed = indexCapability(capability);
    capabilities.set(objectKey(indexed.namespace, indexed.name), indexed);
    push(capabilityNames, indexed.namespace, indexed.name);
  }
  for (const names of capabilityNames.values()) names.sort();
  return { capabilities, capabilityNames };
}

interface CapabilityIndex {
  readonly capabilities: ReadonlyMap<string, IndexedCapability>;
  readonly capabilityNames: ReadonlyMap<string, readonly string[]>;
}

/**
 * The index of `list` from `before`, the index of `beforeList`, when the two lists differ only
 * by objects replaced in place (the same namespace and name at the same position): the entries
 * of the replaced ones are read over the same map (`withReplaced`, no copy of it), the names
 * are kept. The result reads as `indexCapabilities(list)`, entry order included. `undefined`
 * otherwise (an object added, removed, moved or renamed, or a name twice in the list), and the
 * list is indexed afresh. Reads only the positions replaced when the list says which
 * (`replacedPositions`), else compares the two lists item by item.
 */
function reindexCapabilities(
  beforeList: readonly Capability[],
  before: CapabilityIndex,
  list: readonly Capability[],
): CapabilityIndex | undefined {
  if (beforeList.length !== list.length || before.capabilities.size !== list.length) {
    return undefined;
  }
  const replaced: [string, IndexedCapability][] = [];
  const compare = (i: number): boolean => {
    const was = beforeList[i];
    const now = list[i];
    if (was === now || was === undefined || now === undefined) return true;
    const old = indexCapability(was);
    const indexed = indexCapability(now);
    if (old.namespace !== indexed.namespace || old.name !== indexed.name) return false;
    replaced.push([objectKey(indexed.namespace, indexed.name), indexed]);
    return true;
  };
  const known = replacedPositions(beforeList, list);
  if (known === undefined) {
    for (let i = 0; i < list.length; i += 1) if (!compare(i)) return undefined;
  } else if (!known.every(compare)) return undefined;
  if (replaced.length === 0) return before;
  const capabilities = withReplaced(before.capabilities, replaced);
  return capabilities === undefined
    ? undefined
    : { capabilities, capabilityNames: before.capabilityNames };
}

/** One part of a snapshot, with the objects it was indexed from. */
interface Part<T> {
  readonly from: readonly unknown[];
  readonly value: T;
}

/** The parts of each snapshot, so that a rebuild reuses those whose objects are the same. */
const partsOf = new WeakMap<GovernanceSnapshot, Record<string, Part<unknown>>>();

/**
 * Indexes the governance objects. Pure and O(n log n); the result is immutable. Given the
 * snapshot it replaces, each part (the resolved policy, capabilities, delegations, roles,
 * exemptions, escalation policies, escalations) whose objects are the very same, in the same order, is taken from it:
 * the cache rebuilds after every change, and one changed Capability then re-indexes the
 * capabilities only, and of them only that one when it was replaced in place (same namespace
 * and name, same position: `reindexCapabilities`).
 */
export function buildSnapshot(
  objects: GovernanceObjects,
  config: EngineConfig = {},
  previous?: GovernanceSnapshot,
): GovernanceSnapshot {
  const operatorNamespace = config.operatorNamespace;
  const before = previous === undefined ? undefined : partsOf.get(previous);
  const parts: Record<string, Part<unknown>> = {};
  const part = <T>(
    name: string,
    from: readonly unknown[],
    index: () => T,
    reindex?: (lastFrom: readonly unknown[], last: T) => T | undefined,
  ): T => {
    const last = before?.[name];
    const value =
      last === undefined
        ? index()
        : sameItems(last.from, from)
          ? (last.value as T)
          : (reindex?.(last.from, last.value as T) ?? index());
    parts[name] = { from, value };
    return value;
  };
  const capabilityList = objects.capabilities ?? [];
  const { capabilities, capabilityNames } = part(
    'capabilities',
    capabilityList,
    () => indexCapabilities(capabilityList),
    (lastFrom, last) => reindexCapabilities(lastFrom as Capability[], last, capabilityList),
  );
  const delegationList = objects.delegations ?? [];
  const { delegations, delegatedServiceAccounts } = part(
    'delegations',
    delegationList,
    () => indexDelegations(delegationList),
    (lastFrom, last) => reindexDelegations(lastFrom as Delegation[], last, delegationList),
  );
  // Its detection globs are compiled once per policy, not once per change of anything.
  const policy = part('policy', [...(objects.policies ?? []), operatorNamespace], () =>
    resolvePolicy(objects.policies ?? [], operatorNamespace),
  );
  const exemptions = part(
    'exemptions',
    [...(objects.exemptions ?? []), ...(objects.policies ?? []), operatorNamespace],
    () => {
      const byTarget = new Map<string, IndexedExemption[]>();
      for (const exemption of objects.exemptions ?? []) {
        const indexed = indexExemption(exemption, operatorNamespace, policy);
        if (indexed !== undefined) push(byTarget, indexed.target, indexed);
      }
      return byTarget;
    },
  );
  const roles = part(
    'roles',
    objects.roles ?? [],
    () => new Map((objects.roles ?? []).map((role) => [nameOf(role), indexRole(role)])),
  );
  const escalationPolicies = part('escalationPolicies', objects.escalationPolicies ?? [], () =>
    byKey(objects.escalationPolicies ?? [], (p) => objectKey(namespaceOf(p), nameOf(p))),
  );
  const escalations = part('escalations', objects.escalations ?? [], () =>
    byKey(objects.escalations ?? [], (e) => objectKey(namespaceOf(e), nameOf(e))),
  );

  const snapshot: GovernanceSnapshot = {
    policy,
    operatorNamespace,
    operatorUser: config.operatorUser,
    roles,
    capabilities,
    capabilityNames,
    delegations,
    delegatedServiceAccounts,
    exemptions,
    escalationPolicies,
    escalations,
    devices: NO_DEVICES,
  };
  partsOf.set(snapshot, parts);
  return snapshot;
}

/**
 * Whether the role has a holder whose attestation has not lapsed at `now`: what
 * `currentHolders(role, now).length > 0` says, without making the list (the holders are sorted
 * latest attestation first, so the first is current if any is).
 */
export function hasCurrentHolder(role: IndexedRole, now: number): boolean {
  const latest = role.holders[0];
  return latest !== undefined && latest.until > now;
}

/** The holders of a role whose attestation has not lapsed at `now`. */
export function currentHolders(role: IndexedRole, now: number): readonly IndexedHolder[] {
  const end = role.holders.findIndex((holder) => holder.until <= now);
  return end < 0 ? role.holders : role.holders.slice(0, end);
}

/** Whether `user` is a current holder of the role `roleName` at `now`. */
export function isCurrentHolder(
  snapshot: GovernanceSnapshot,
  roleName: string,
  user: string,
  now: number,
): boolean {
  const holder = snapshot.roles.get(roleName)?.byUser.get(user);
  return holder !== undefined && holder.until > now;
}
