import { sameJson } from '../../engine/json.js';
import { runningStatus } from '../../engine/stop/index.js';
import type { KubeObject, StoreChange } from '../cache/informer.js';

/**
 * What the workload caches keep of an object: everything but its status, and of the status only
 * what the audit and the stop button read ({@link runningStatus}). A Pod's conditions, container
 * statuses and addresses, a Deployment's rollout counters: often the larger half of the object,
 * and the part that changes most often.
 */
export function projectWorkload(object: KubeObject): KubeObject {
  const record = object as Readonly<Record<string, unknown>>;
  if (record.status === undefined) return object;
  return { ...record, status: runningStatus(object) } as KubeObject;
}

/**
 * What counts of a cached object: not its resourceVersion, nor its apiVersion and kind, which a
 * watch event carries and an item of a list does not (the same Pod, listed and then watched,
 * would otherwise look changed).
 */
const withoutVersion = (object: KubeObject): unknown => ({
  ...object,
  apiVersion: undefined,
  kind: undefined,
  metadata: { ...object.metadata, resourceVersion: undefined },
});

/**
 * Whether a watch event of projected workloads changed anything the controller reads: false when
 * only the dropped part of the status (and so the resourceVersion) changed, e.g. a Pod getting
 * Ready. Such an event updates the cache but starts no round. A list, an addition or a deletion
 * always counts.
 */
export function changesTheAudit(change: StoreChange<KubeObject> | undefined): boolean {
  const { previous, next } = change ?? {};
  if (previous === undefined || next === undefined) return true;
  return !sameJson(withoutVersion(previous), withoutVersion(next));
}
