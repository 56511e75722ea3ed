import type { Verdict } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { at, isRecord, sameJson, type JsonRecord } from '../json.js';
import { followsOwner, STATE_ANNOTATIONS } from '../stop/index.js';
import { isOperatorUser, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';

/**
 * The `oos.dev/` state the stop button keeps on a workload (the replicas it remembers, the marker
 * of a Job it suspended) is written by the operator alone: anyone else adding, changing or
 * removing it (a CREATE carrying it included) is refused with `StateForged`, whatever the
 * enforcement mode and whether or not the workload is an AI one. Left alone: a scalable workload
 * controlled by another, before and after the change (the deployment controller copies a
 * Deployment's annotations to its ReplicaSets; the stop button follows the owner, never the copy).
 */
export function forgedState(
  input: AdmissionInput,
  object: JsonRecord,
  snapshot: GovernanceSnapshot,
  subject: string,
): Verdict | undefined {
  if (isOperatorUser(snapshot, input.userInfo.username)) return undefined;
  const old = input.operation === 'UPDATE' ? input.oldObject : undefined;
  if (followsOwner(object) && (input.operation === 'CREATE' || followsOwner(old))) return undefined;
  const annotation = (value: unknown, key: string): unknown =>
    isRecord(value) ? at(value, 'metadata', 'annotations', key) : undefined;
  const changed = STATE_ANNOTATIONS.filter(
    (key) => !sameJson(annotation(old, key), annotation(object, key)),
  );
  if (changed.length === 0) return undefined;
  return {
    reason: 'StateForged',
    message: `this request changes ${list(changed, 2)} on ${subject}: the state the oos operator keeps for the stop button, which only the operator may add, change or remove. Leave it as it is (kubectl apply and kubectl edit keep it unless you remove it; a manifest for kubectl create or replace must not carry it, or must carry the stored value); resuming the Capability restores the workload and clears it.`,
  };
}

/**
 * The workload without the stop button's state: what the background audit judges (as admission
 * would judge its creation now), since the state on a running workload is the operator's own.
 */
export function withoutState(object: JsonRecord): JsonRecord {
  const metadata = at(object, 'metadata');
  const annotations = at(metadata, 'annotations');
  if (!isRecord(metadata) || !isRecord(annotations)) return object;
  if (!STATE_ANNOTATIONS.some((key) => Object.hasOwn(annotations, key))) return object;
  const kept = Object.fromEntries(
    Object.entries(annotations).filter(([key]) => !STATE_ANNOTATIONS.includes(key)),
  );
  return { ...object, metadata: { ...metadata, annotations: kept } };
}
