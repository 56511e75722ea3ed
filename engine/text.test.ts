import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flat, list } from './text.js';
import { formatTime, parseTime } from './time.js';

describe('message helpers', () => {
  it('flattens text without changing it', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 20 }), (pieces) => {
        let built = '';
        for (const piece of pieces) built = `${built}${piece}`;
        expect(flat(built)).toBe(pieces.join(''));
      }),
    );
    expect(flat('')).toBe('');
  });

  it('lists items in prose and cuts long lists', () => {
    expect(list([])).toBe('none');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(list(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });

  it('parses RFC 3339 and formats instants without zero milliseconds', () => {
    expect(parseTime('2026-06-01T12:00:00Z')).toBe(Date.UTC(2026, 5, 1, 12));
    expect(parseTime('2026-06-01T14:00:00+02:00')).toBe(Date.UTC(2026, 5, 1, 12));
    expect(parseTime('not a time')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
    expect(formatTime(Date.UTC(2026, 5, 1, 12))).toBe('2026-06-01T12:00:00Z');
    expect(formatTime(Date.UTC(2026, 5, 1, 12, 0, 0, 5))).toBe('2026-06-01T12:00:00.005Z');
    expect(formatTime(-Infinity)).toBe('the beginning of time');
  });
});
