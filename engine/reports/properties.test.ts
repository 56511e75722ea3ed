import { describe, expect, it } from 'vitest';
import { bounded, MAX_PROPERTY_LENGTH, properties } from './properties.js';

describe('report property values', () => {
  it('turns control characters into spaces, so a terminal shows what is there', () => {
    expect(bounded('alice\u001b[31m\nroot\u0000')).toBe('alice [31m root ');
    expect(bounded('a\u2028b\u0085c')).toBe('a b c');
  });

  it('cuts long text on a character boundary, never inside a surrogate pair', () => {
    const long = '😀'.repeat(MAX_PROPERTY_LENGTH + 5);
    const cut = bounded(long);
    expect(Array.from(cut)).toHaveLength(MAX_PROPERTY_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe('😀'.repeat(MAX_PROPERTY_LENGTH - 1));
    expect(bounded('x'.repeat(10), 4)).toBe('xxx…');
    expect(bounded('short')).toBe('short');
  });

  it('leaves out absent and empty values and keeps JSON-special characters as they are', () => {
    expect(
      properties([
        ['a', undefined],
        ['b', ''],
        ['c', '"quoted" \\ {json}: <html>'],
      ]),
    ).toEqual({ c: '"quoted" \\ {json}: <html>' });
  });
});
