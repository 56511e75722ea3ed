import type { Condition } from '../../api/index.js';
import { findCondition, formatSeconds } from './conditions.js';

/** The condition on an object whose spec the oos schema refuses (absent while it is valid). */
export const CONDITION_VALID = 'Valid';

/** What the schema gate says of an object of an oos kind it refuses. */
export interface SchemaIssues {
  readonly kind: string;
  /** `spec`: the object is refused (its last valid version is used); `status`: only its status. */
  readonly part: 'status' | 'spec';
  readonly issues: readonly string[];
}

/** `Kind/namespace/name`: how a round keys the status of an object and its schema issues. */
export function invalidKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** `wanted` with a Valid=False condition saying the spec is refused and what oos does about it. */
export function withValidCondition(
  wanted: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>> | undefined,
  invalid: SchemaIssues,
  now: number,
): Record<string, unknown> {
  const conditions = (wanted.conditions as Condition[] | undefined) ?? [];
  const before = findCondition(stored?.conditions as Condition[] | undefined, CONDITION_VALID);
  const valid: Condition = {
    type: CONDITION_VALID,
    status: 'False',
    reason: 'SchemaMismatch',
    message: `The object does not match the oos schema (${invalid.issues.join('; ')}), so oos keeps using its last valid version: fix the object.`,
    lastTransitionTime: before?.status === 'False' ? before.lastTransitionTime : formatSeconds(now),
  };
  return {
    ...wanted,
    conditions: [...conditions.filter((c) => c.type !== CONDITION_VALID), valid],
  };
}
