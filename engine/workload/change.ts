import { field, isRecord, sameJson, type JsonRecord } from '../json.js';

const REPLICA_FIELDS = ['replicas', 'parallelism'] as const;

function withoutReplicas(spec: JsonRecord): JsonRecord {
  return Object.fromEntries(
    Object.entries(spec).filter(([key]) => !REPLICA_FIELDS.includes(key as never)),
  );
}

/**
 * Whether an UPDATE of a workload changes what oos judges. Left alone: updates that change neither
 * the spec nor the labels (a controller writing an annotation, a finalizer), and updates that only
 * scale down (stopping is easy; a rollout must be able to retire old ReplicaSets).
 */
export function judgedUpdate(oldObject: unknown, object: JsonRecord): boolean {
  if (!isRecord(oldObject)) return true;
  const labels = (value: unknown) => field(field(value, 'metadata'), 'labels');
  if (!sameJson(labels(oldObject), labels(object))) return true;
  const oldSpec = field(oldObject, 'spec');
  const spec = field(object, 'spec');
  if (sameJson(oldSpec, spec)) return false;
  if (
    !isRecord(oldSpec) ||
    !isRecord(spec) ||
    !sameJson(withoutReplicas(oldSpec), withoutReplicas(spec))
  ) {
    return true;
  }
  return REPLICA_FIELDS.some((name) => {
    const before = field(oldSpec, name);
    const after = field(spec, name);
    return typeof after === 'number' && (typeof before !== 'number' || after > before);
  });
}
