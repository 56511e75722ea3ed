import { isRecord, type JsonRecord } from '../json.js';
import { CONTAINER_LISTS } from './pod.js';

/**
 * What the rules read of a pod spec ({@link readPodSpec}) and of its containers
 * ({@link readContainer}), so that a cache of workloads can keep only that. An apiserver fills a
 * Pod's spec with defaults no rule reads (its ServiceAccount token volume and mounts, tolerations,
 * DNS and scheduling settings, termination paths): three quarters of a small Pod's spec.
 *
 * `as-read.test.ts` runs the audit and the stop button over objects that record every field read
 * and fails if one read is not kept here, so a reader that starts reading another field fails
 * that test until the field is added.
 */
const POD_SPEC_FIELDS = ['serviceAccountName', 'serviceAccount', 'resourceClaims', 'hostNetwork'];
const CONTAINER_FIELDS = ['name', 'image', 'env', 'envFrom', 'resources'];

function pick(record: JsonRecord, keys: readonly string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(record, key)) kept[key] = record[key];
  return kept;
}

/**
 * A pod spec with only what the rules read. Whatever is not an object (a malformed spec, a
 * container list that is no list, a container that is no object) is kept as it is, so that the
 * reading of it fails as it would have.
 */
export function podSpecAsRead(podSpec: unknown): unknown {
  if (!isRecord(podSpec)) return podSpec;
  const kept = pick(podSpec, POD_SPEC_FIELDS);
  for (const { field: list } of CONTAINER_LISTS) {
    if (!Object.hasOwn(podSpec, list)) continue;
    const containers = podSpec[list];
    kept[list] = Array.isArray(containers)
      ? containers.map((container: unknown) =>
          isRecord(container) ? pick(container, CONTAINER_FIELDS) : container,
        )
      : containers;
  }
  return kept;
}

/** `object` with the value at `path` replaced by `replace(value)`; `object` itself if the path is missing. */
function replacedAt(
  object: JsonRecord,
  path: readonly string[],
  replace: (value: unknown) => unknown,
): JsonRecord {
  const [key, ...rest] = path;
  if (key === undefined || !Object.hasOwn(object, key)) return object;
  const value = object[key];
  if (rest.length === 0) return { ...object, [key]: replace(value) };
  if (!isRecord(value)) return object;
  const replaced = replacedAt(value, rest, replace);
  return replaced === value ? object : { ...object, [key]: replaced };
}

/**
 * A workload with only what the rules read of its pod spec: the pod spec at `podTemplate` +
 * `spec` (`[]` for a Pod, whose spec is its pod spec) goes through {@link podSpecAsRead}; the
 * rest (metadata, replicas, the template's labels, status) is kept. A kind without a known pod
 * template (`undefined`: an AI custom kind, read by a walk over its whole spec) is kept whole.
 */
export function workloadAsRead(
  object: JsonRecord,
  podTemplate: readonly string[] | undefined,
): JsonRecord {
  return podTemplate === undefined
    ? object
    : replacedAt(object, [...podTemplate, 'spec'], podSpecAsRead);
}
