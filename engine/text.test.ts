import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText, flat, list } from './text.js';
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

  it('orders text by code units, as a locale orders Kubernetes names and keys', () => {
    expect(compareText('a', 'b')).toBe(-1);
    expect(compareText('b', 'a')).toBe(1);
    expect(compareText('a', 'a')).toBe(0);
    expect(compareText('Z', 'a')).toBe(-1); // by code unit: a locale puts "a" first
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(compareText(a, b) + compareText(b, a)).toBe(0);
        expect(compareText(a, b) === 0).toBe(a === b);
      }),
    );
    const name = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/);
    const key = fc.tuple(name, name).map(([namespace, n]) => `${namespace}/${n}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(name, key), { maxLength: 30 }), (keys) => {
        const byLocale = [...keys].sort((a, b) => a.localeCompare(b, 'en'));
        expect([...keys].sort(compareText)).toEqual(byLocale);
      }),
    );
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
