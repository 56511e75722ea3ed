import type { Rule } from './cel.js';
import { username } from './formats.js';

/**
 * Stamped fields record which human did something. The mutating webhook writes them from the
 * authenticated identity of the request (`userInfo.username`); a request that sets one to anyone
 * else is denied, and once set they never change (the apiserver enforces that with CEL).
 */
export const STAMPED_FIELDS = {
  Capability: ['suspendedBy', 'resumedBy'],
  Delegation: ['grantedBy'],
  Escalation: ['acknowledgedBy'],
  Exemption: ['requestedBy', 'approvedBy'],
} as const;

export type StampedField = (typeof STAMPED_FIELDS)[keyof typeof STAMPED_FIELDS][number];

/**
 * A stamped username. `what` completes "Username of the person who ..."; `immutable` says when it
 * cannot change (default: once set).
 */
export function stampedUser(what: string, immutable = 'once set') {
  return username()
    .optional()
    .describe(
      `Username of the person who ${what}. Stamped by the oos admission webhook from the authenticated requester, never typed by hand; immutable ${immutable}.`,
    );
}

/**
 * The transition rule that keeps a stamped field as it is once set: it may not change or
 * disappear. With `during`, only while the CEL condition `during.condition` (over `self` and
 * `oldSelf`) holds, e.g. only while a capability stays suspended.
 */
export function stampImmutable<T>(
  field: StampedField,
  during?: { readonly condition: string; readonly description: string },
): Rule<T> {
  const keep = `!has(oldSelf.${field}) || (has(self.${field}) && self.${field} == oldSelf.${field})`;
  return {
    rule: during === undefined ? keep : `!(${during.condition}) || ${keep}`,
    message: `${field} is stamped by admission and cannot change once set${during === undefined ? '' : ` ${during.description}`}`,
    fieldPath: `.${field}`,
    reason: 'FieldValueForbidden',
  };
}
