import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, isDuration, parseDuration } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * D],
    ['30d', 30 * D],
    ['720h', 720 * H],
    ['36h', 36 * H],
    ['1h30m', H + 30 * M],
    ['1d12h', D + 12 * H],
    ['1d2h3m4s', D + 2 * H + 3 * M + 4 * S],
    ['45s', 45 * S],
    ['0s', 0],
    ['0d', 0],
    ['007m', 7 * M],
    ['99999d', 99999 * D],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(isDuration(text)).toBe(true);
  });

  it.each([
    '',
    'd',
    '90',
    '-1d',
    '1.5h',
    '90 d',
    ' 90d',
    '90D',
    '3 months',
    '1w',
    '100ms',
    '30m1h',
    '1h1h',
    '123456d',
    'P90D',
  ])('refuses %j with a coded error', (text) => {
    expect(isDuration(text)).toBe(false);
    expect(() => parseDuration(text)).toThrow(DurationError);
    try {
      parseDuration(text);
    } catch (error) {
      expect(error).toMatchObject({ code: 'OOS_ERR_INVALID_DURATION' });
      expect((error as Error).message).toContain('e.g. 90d or 1h30m');
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [45 * S, '45s'],
    [90 * D, '90d'],
    [D + 12 * H, '1d12h'],
    [H + 30 * M + 1500, '1h30m1s'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const text of ['90d', '1d12h', '2h5m', '3m20s', '1d1h1m1s']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
  });

  it('refuses negative and non-finite values', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});
