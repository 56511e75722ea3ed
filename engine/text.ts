/** Small helpers that keep messages short and uniform. */

/** `a, b and c`; beyond `max` items, `a, b, c and 4 more`. */
export function list(items: readonly string[], max = 5): string {
  if (items.length === 0) return 'none';
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/**
 * `text` as one flat string, for text a plan keeps for long (status and finding messages). V8
 * holds a string built by concatenation or a template as a tree of its pieces: a 140-character
 * message of 16 pieces takes about 2.4 KB that way and about 185 B flat. It flattens the tree
 * in place the first time a character is read, which is all this does; the text is unchanged.
 */
export function flat(text: string): string {
  if (text.length > 0) text.charCodeAt(0);
  return text;
}
