/**
 * The NetworkPolicies oos owns, as the controller writes and checks them, pure: the object to write
 * (the coordination layer's desired policy, owned by its Capability, with the hash of its content
 * and, after a repair, when and why it was repaired), and whether a stored one is still as oos
 * wrote it. The desired policy itself is engine/coordination's.
 */
import { TAMPER_WINDOW_MS } from '../escalation/interactions.js';
import { fnv1a64 } from '../escalation/name.js';
import { isRecord, stringAt, type JsonRecord } from '../json.js';
import { parseTime } from '../time.js';

/** The hash of the content oos wrote (labels, owner, repair record, spec): a change without it is tampering. */
export const ANNOTATION_POLICY_HASH = 'oos.dev/policy-hash';
/** When oos last wrote back a policy someone else changed or deleted (RFC 3339). */
export const ANNOTATION_REPAIRED_AT = 'oos.dev/repaired-at';
/** What the repair undid: `changed` or `deleted`. */
export const ANNOTATION_REPAIR_CAUSE = 'oos.dev/repair-cause';

/** How someone else touched a policy oos owns. */
export const REPAIR_CAUSES = ['changed', 'deleted'] as const;
export type RepairCause = (typeof REPAIR_CAUSES)[number];

/** The Capability a policy belongs to (its owner). */
export interface PolicyOwner {
  readonly name: string;
  readonly uid: string;
}

/** A repair, as recorded on the policy. */
export interface Repair {
  readonly at: string;
  readonly cause: RepairCause;
}

/** A policy as oos writes it: owned, annotated. */
export type OwnedPolicy = JsonRecord & {
  readonly metadata: PolicyObject['metadata'] & {
    readonly annotations: Readonly<Record<string, string>>;
    readonly ownerReferences: readonly JsonRecord[];
  };
  readonly spec?: unknown;
};

/** A NetworkPolicy as far as this module reads it. */
export interface PolicyObject {
  readonly metadata: {
    readonly name?: string | undefined;
    readonly namespace?: string | undefined;
    readonly labels?: Readonly<Record<string, string>> | undefined;
    readonly annotations?: Readonly<Record<string, string>> | undefined;
    readonly ownerReferences?: readonly unknown[] | undefined;
    readonly resourceVersion?: string | undefined;
  };
  readonly spec?: unknown;
}

/** The defaults the apiserver fills in, filled in (and empty lists dropped, as it drops them). */
function normalized(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalized(item));
    return items.length === 0 ? undefined : items;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value).sort()) {
    const item = normalized(value[name], name);
    if (item !== undefined) out[name] = item;
  }
  // A port's protocol defaults to TCP.
  if (key === 'ports-item' && out.protocol === undefined) out.protocol = 'TCP';
  return out;
}

/** The spec with its defaults: every port's protocol, and policyTypes from the rules present. */
function normalizedSpec(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  const withPorts = (rules: unknown): unknown =>
    Array.isArray(rules)
      ? rules.map((rule: unknown) =>
          isRecord(rule) && Array.isArray(rule.ports)
            ? {
                ...rule,
                ports: rule.ports.map((port: unknown) => normalized(port, 'ports-item')),
              }
            : rule,
        )
      : rules;
  const policyTypes =
    Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0
      ? spec.policyTypes
      : ['Ingress', ...(spec.egress === undefined ? [] : ['Egress'])];
  return normalized({
    ...spec,
    ingress: withPorts(spec.ingress),
    egress: withPorts(spec.egress),
    policyTypes,
  });
}

function ownerOf(reference: unknown): JsonRecord | undefined {
  if (!isRecord(reference)) return undefined;
  return {
    apiVersion: reference.apiVersion,
    kind: reference.kind,
    name: reference.name,
    uid: reference.uid,
  };
}

/**
 * What of a policy oos decides, as canonical JSON: its labels, owners, repair record and spec
 * (with the apiserver's defaults, so the stored policy reads the same as the one written).
 */
export function policyContent(policy: PolicyObject): string {
  const { metadata } = policy;
  const annotations = metadata.annotations ?? {};
  return JSON.stringify(
    normalized({
      labels: metadata.labels ?? {},
      owners: (metadata.ownerReferences ?? []).map(ownerOf),
      repairedAt: annotations[ANNOTATION_REPAIRED_AT],
      repairCause: annotations[ANNOTATION_REPAIR_CAUSE],
      spec: normalizedSpec(policy.spec),
    }),
  );
}

/** The hash of {@link policyContent}. */
export function policyHash(policy: PolicyObject): string {
  return fnv1a64(policyContent(policy));
}

/** Whether a stored policy is still as oos wrote it: its content matches the hash oos stamped. */
export function intact(policy: PolicyObject): boolean {
  return policy.metadata.annotations?.[ANNOTATION_POLICY_HASH] === policyHash(policy);
}

/** Whether two policies say the same (the hash annotation aside). */
export function sameContent(a: PolicyObject, b: PolicyObject): boolean {
  return policyContent(a) === policyContent(b);
}

/** The repair a stored policy records, if it records a valid one. */
export function repairOf(policy: PolicyObject): Repair | undefined {
  const annotations = policy.metadata.annotations ?? {};
  const at = annotations[ANNOTATION_REPAIRED_AT];
  const cause = annotations[ANNOTATION_REPAIR_CAUSE];
  if (at === undefined || parseTime(at) === undefined) return undefined;
  return {
    at,
    cause: (REPAIR_CAUSES as readonly string[]).includes(cause ?? '')
      ? (cause as RepairCause)
      : 'changed',
  };
}

/**
 * The object to write: `desired` owned by its Capability (garbage-collected with it), with the
 * repair it records (a repair now, or the stored one while its window lasts) and the hash of it
 * all.
 */
export function policyToWrite(
  desired: PolicyObject & JsonRecord,
  owner: PolicyOwner,
  repair: Repair | undefined,
): OwnedPolicy {
  const { metadata } = desired;
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  if (repair !== undefined) {
    annotations[ANNOTATION_REPAIRED_AT] = repair.at;
    annotations[ANNOTATION_REPAIR_CAUSE] = repair.cause;
  }
  const owned: OwnedPolicy = {
    ...desired,
    metadata: {
      ...metadata,
      ownerReferences: [
        {
          apiVersion: 'oos.dev/v1alpha1',
          kind: 'Capability',
          name: owner.name,
          uid: owner.uid,
        },
      ],
      annotations,
    },
  };
  annotations[ANNOTATION_POLICY_HASH] = policyHash(owned);
  return owned;
}

/** The stored repair while its window lasts at `now` (then the escalation resolves). */
export function liveRepair(policy: PolicyObject | undefined, now: number): Repair | undefined {
  const repair = policy === undefined ? undefined : repairOf(policy);
  const at = parseTime(repair?.at);
  return at !== undefined && at + TAMPER_WINDOW_MS > now ? repair : undefined;
}

/** `namespace/name` of a policy. */
export function policyKey(policy: PolicyObject): string {
  return `${policy.metadata.namespace ?? ''}/${policy.metadata.name ?? ''}`;
}

/** The Capability a policy oos owns belongs to (its owner reference), if any. */
export function ownerCapability(policy: PolicyObject): string | undefined {
  for (const reference of policy.metadata.ownerReferences ?? []) {
    if (stringAt(reference, 'kind') === 'Capability') return stringAt(reference, 'name');
  }
  return undefined;
}

/** The NetworkPolicy a round wants for one Closed capability. */
export interface PlannedPolicy {
  readonly namespace: string;
  /** Name of the NetworkPolicy. */
  readonly name: string;
  readonly owner: PolicyOwner;
  /** engine/coordination's desired policy, before ownership and hash. */
  readonly desired: PolicyObject & JsonRecord;
}
