/** Small helpers that keep messages short and uniform. */

/** `a, b and c`; beyond `max` items, `a, b, c and 4 more`. */
export function list(items: readonly string[], max = 5): string {
  if (items.length === 0) return 'none';
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
