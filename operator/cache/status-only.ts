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

/** Whether two versions of an object differ in nothing but their status (and resourceVersion). */
export function sameButStatus(previous: KubeObject, next: KubeObject): boolean {
  return sameJson(withoutStatus(previous), withoutStatus(next));
}

/** Whether a watch event changed nothing of an object but its status (and resourceVersion). */
export function onlyStatusChanged(change: StoreChange<KubeObject> | undefined): boolean {
  const { previous, next } = change ?? {};
  if (previous === undefined || next === undefined) return false;
  return sameButStatus(previous, next);
}

/** The object without its `status` (the object itself when it has none). */
export function withoutOwnStatus<T extends object>(object: T): T {
  if (!Object.hasOwn(object, 'status')) return object;
  // fromEntries defines its keys as a spread does: an own `__proto__` key stays a key.
  return Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'status')) as T;
}
