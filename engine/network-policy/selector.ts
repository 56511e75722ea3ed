import { LABEL_CAPABILITY } from '../../api/index.js';
import { arrayAt, isRecord, stringAt, stringMapAt } from '../json.js';

/**
 * Which capabilities' Pods a NetworkPolicy's `podSelector` could select, read from its
 * requirements on the `oos.dev/capability` label alone: a Pod of a capability carries that label
 * with the capability's name, and any other label its owner likes, so requirements on other keys
 * never rule a capability out.
 * - `none`: the label must be absent (`DoesNotExist`): no capability's Pod is selected;
 * - `some`: only Pods of these capabilities (`matchLabels`, `In`);
 * - `all`: Pods of any capability but `except` (no requirement, `Exists`, `NotIn`).
 */
export type CapabilityValues =
  | { readonly kind: 'none' }
  | { readonly kind: 'some'; readonly values: ReadonlySet<string> }
  | { readonly kind: 'all'; readonly except: ReadonlySet<string> };

const NONE: CapabilityValues = { kind: 'none' };

function only(current: CapabilityValues, allowed: ReadonlySet<string>): CapabilityValues {
  if (current.kind === 'none') return current;
  const kept =
    current.kind === 'some'
      ? [...current.values].filter((value) => allowed.has(value))
      : [...allowed].filter((value) => !current.except.has(value));
  return kept.length === 0 ? NONE : { kind: 'some', values: new Set(kept) };
}

function without(current: CapabilityValues, excluded: readonly string[]): CapabilityValues {
  if (current.kind === 'none') return current;
  if (current.kind === 'all') {
    return { kind: 'all', except: new Set([...current.except, ...excluded]) };
  }
  return only(current, new Set([...current.values].filter((value) => !excluded.includes(value))));
}

function strings(values: readonly unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string');
}

/**
 * The capabilities `selector` (a NetworkPolicy's `podSelector`, untrusted JSON) could select.
 * What cannot be read narrows nothing: an unknown operator or a malformed requirement counts as
 * no requirement (fail closed: the policy could select more, never less).
 */
export function capabilityValues(selector: unknown): CapabilityValues {
  let values: CapabilityValues = { kind: 'all', except: new Set() };
  if (!isRecord(selector)) return values;
  const label = stringMapAt(selector, 'matchLabels').get(LABEL_CAPABILITY);
  if (label !== undefined) values = only(values, new Set([label]));
  for (const requirement of arrayAt(selector, 'matchExpressions')) {
    if (stringAt(requirement, 'key') !== LABEL_CAPABILITY) continue;
    const listed = strings(arrayAt(requirement, 'values'));
    switch (stringAt(requirement, 'operator')) {
      case 'In':
        values = only(values, new Set(listed));
        break;
      case 'NotIn':
        values = without(values, listed);
        break;
      case 'DoesNotExist':
        values = NONE;
        break;
      default:
        // Exists (a capability's Pod has the label), or an operator oos does not know.
        break;
    }
  }
  return values;
}
