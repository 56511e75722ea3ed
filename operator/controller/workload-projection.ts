import { sameJson } from '../../engine/json.js';
import { runningStatus } from '../../engine/stop/index.js';
import { workloadAsRead } from '../../engine/workload/as-read.js';
import type { KubeObject, StoreChange } from '../cache/informer.js';

/**
 * What the workload caches keep of an object: what the audit and the stop button read. Of its pod
 * spec (at `podTemplate`, the workload-type row's) only what the rules read
 * ({@link workloadAsRead}): an apiserver's defaults (token volume and mounts, tolerations,
 * scheduling) are most of a small Pod. Of the status only {@link runningStatus}: a Pod's
 * conditions, container statuses and addresses, a Deployment's rollout counters, often the larger
 * half of the object, and the part that changes most often. Metadata and the rest of the spec
 * (replicas, suspend, the template's labels) are kept whole.
 */
export function projectWorkload(
  object: KubeObject,
  podTemplate: readonly string[] | undefined,
): KubeObject {
  const record = workloadAsRead(object as Readonly<Record<string, unknown>>, podTemplate);
  if (record.status === undefined) return record;
  const projected: Readonly<Record<string, unknown>> = { ...record, status: runningStatus(object) };
  return projected;
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
 * only a dropped part (and so the resourceVersion) changed, e.g. a Pod being scheduled to a node
 * or getting Ready. For such an event the cache keeps the object it holds and starts no round. A
 * list, an addition or a deletion always counts.
 */
export function changesTheAudit(change: StoreChange<KubeObject> | undefined): boolean {
  const { previous, next } = change ?? {};
  if (previous === undefined || next === undefined) return true;
  return !sameJson(withoutVersion(previous), withoutVersion(next));
}
