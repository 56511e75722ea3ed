import type { Rule } from './cel.js';

/**
 * Transition rules: CEL over `self` and `oldSelf`, checked by the apiserver on updates only. zod
 * sees one object at a time, so these have no `check`.
 */

/** The field keeps its value for the life of the object. */
export function immutable<T>(what: string, hint: string): Rule<T> {
  return {
    rule: 'self == oldSelf',
    message: `${what} is immutable: ${hint}`,
    reason: 'FieldValueForbidden',
  };
}

/** A boolean that, once true, stays true (revoked, approved, acknowledged). */
export function staysTrue(what: string): Rule<boolean> {
  return {
    rule: '!oldSelf || self',
    message: `${what} cannot be undone once true`,
    reason: 'FieldValueForbidden',
  };
}
