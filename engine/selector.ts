import type { LabelSelector } from '../api/index.js';

/**
 * metav1.LabelSelector semantics: every matchLabels entry and every matchExpressions requirement
 * must hold; an empty selector selects everything. `NotIn` holds when the key is absent. An
 * operator oos does not know never matches (fail closed: a broken selector selects nothing).
 */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: ReadonlyMap<string, string>,
): boolean {
  if (selector === undefined) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels.get(key) !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const value = labels.get(requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
