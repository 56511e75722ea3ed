import { describe, expect, it } from 'vitest';
import { isApiDateTime, parseApiDateTime } from './date-time.js';

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
});
