import { sameJson } from '../../engine/json.js';
import type { KubeObject, StoreChange } from './informer.js';

/** Everything of an object but its status and the fields every write changes. */
export function withoutStatus(object: object): Record<string, unknown> {
  const record = object as Record<string, unknown>;
  return {
    ...record,
    status: undefined,
    metadata: {
      ...(record.metadata as Record<string, unknown> | undefined),
      resourceVersion: undefined,
      managedFields: undefined,
    },
  };
}

/** Whether a watch event changed nothing of an object but its status (and resourceVersion). */
export function onlyStatusChanged(change: StoreChange<KubeObject> | undefined): boolean {
  const { previous, next } = change ?? {};
  if (previous === undefined || next === undefined) return false;
  return sameJson(withoutStatus(previous), withoutStatus(next));
}
