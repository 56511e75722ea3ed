import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isApiDateTime, isCanonicalDateTime, parseApiDateTime } from './date-time.js';

const UTC_MIDNIGHT = Date.UTC(2026, 2, 31);

describe('date-times as the apiserver accepts them (strfmt.IsDateTime)', () => {
  it.each([
    ['2026-03-31T00:00:00Z', UTC_MIDNIGHT],
    ['2026-03-31t00:00:00z', UTC_MIDNIGHT],
    ['2026-03-31T00:00:00z', UTC_MIDNIGHT],
    ['2026-03-31t00:00:00Z', UTC_MIDNIGHT],
    ['2026-03-31T02:00:00+02:00', UTC_MIDNIGHT],
    ['2026-03-30T22:30:00-01:30', UTC_MIDNIGHT],
    ['2026-03-31T00:00:00.5Z', UTC_MIDNIGHT + 500],
    ['2026-03-31T00:00:00.123456789Z', UTC_MIDNIGHT + 123],
    // The fraction's separator is the pattern's unescaped `.`: any character.
    ['2026-03-31T00:00:00,25Z', UTC_MIDNIGHT + 250],
    ['2026-03-31T00:00:00é7z', UTC_MIDNIGHT + 700],
    // Any two digits pass as an offset.
    ['2026-03-31T00:00:00+99:99', UTC_MIDNIGHT - (99 * 60 + 99) * 60_000],
    // Everything after a second `t` is ignored.
    ['2026-03-31T00:00:00Zt', UTC_MIDNIGHT],
    ['2026-03-31T00:00:00ZTomorrow', UTC_MIDNIGHT],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0001-01-01T00:00:00Z', new Date('0001-01-01T00:00:00Z').getTime()],
  ])('accepts %s', (text, ms) => {
    expect(isApiDateTime(text)).toBe(true);
    expect(parseApiDateTime(text)).toBe(ms);
  });

  it.each([
    '',
    'now',
    '2026-03-31',
    '2026-03-31T00:00:00',
    '2026-03-31 00:00:00Z',
    '2026-03-31T00:00Z',
    '2026-03-31T24:00:00Z',
    '2026-03-31T23:60:00Z',
    '2026-03-31T23:59:60Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-3-31T00:00:00Z',
    '26-03-31T00:00:00Z',
    '2026-03-31T0:00:00Z',
    '2026-03-31T00:00:00+0200',
    '2026-03-31T00:00:00+2:00',
    '2026-03-31T00:00:00.Z',
    '2026-03-31T00:00:00\n5Z',
    '2026-03-31T00:00:00 Z',
    '31/03/2026',
  ])('refuses %j', (text) => {
    expect(isApiDateTime(text)).toBe(false);
    expect(parseApiDateTime(text)).toBeUndefined();
  });

  // `YYYY-MM-DDThh:mm:ssZ` is read by a fast path of its own; written with a lower-case `t` and
  // `z`, or with a zero fraction, the same date-time takes the general reading. Both must agree,
  // on every field in range or not (months 0-19, days 0-39, …).
  it('reads the canonical form as the general reading does', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(19),
        two(39),
        two(29),
        two(69),
        two(69),
        (year, month, day, hours, minutes, seconds) => {
          const date = `${year}-${month}-${day}`;
          const time = `${hours}:${minutes}:${seconds}`;
          const canonical = parseApiDateTime(`${date}T${time}Z`);
          expect(canonical).toBe(parseApiDateTime(`${date}t${time}z`));
          expect(canonical).toBe(parseApiDateTime(`${date}T${time}.0Z`));
          expect(canonical).toBe(parseApiDateTime(`${date}T${time}+00:00`));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it.each([
    ['a digit replaced', '2026-03-3xT00:00:00Z'],
    ['a sign in place of a digit', '2026-03-+1T00:00:00Z'],
    ['another separator', '2026/03/31T00:00:00Z'],
    ['a day past the month', '2026-04-31T00:00:00Z'],
    ['February 29th of a year not leap', '2100-02-29T00:00:00Z'],
  ])('refuses the canonical length with %s', (_, text) => {
    expect(parseApiDateTime(text)).toBeUndefined();
  });

  it('takes the fast path for the canonical form only', () => {
    expect(isCanonicalDateTime('2026-03-31T23:59:59Z')).toBe(true);
    for (const text of [
      '2026-03-31t23:59:59Z',
      '2026-03-31T23:59:59z',
      '2026-03-31T23:59:59.0Z',
      '2026-03-31T23:59:59+00:00',
      '2026-02-29T00:00:00Z',
      '2026-03-31T24:00:00Z',
      '0099-12-31T23:59:59Z',
    ])
      expect(isCanonicalDateTime(text)).toBe(false);
  });

  it('reads a year before 100 as that year, not 19xx', () => {
    expect(parseApiDateTime('0099-12-31T23:59:59Z')).toBe(
      new Date('0099-12-31T23:59:59Z').getTime(),
    );
  });
});
