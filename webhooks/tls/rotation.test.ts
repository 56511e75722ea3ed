import { describe, expect, it } from 'vitest';
import { needsRenewal, renewalTime } from './rotation.js';

describe('certificate renewal', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const to = new Date('2026-01-31T00:00:00Z');

  it('renews once two thirds of the lifetime have passed', () => {
    expect(renewalTime(from, to).toISOString()).toBe('2026-01-21T00:00:00.000Z');
    expect(needsRenewal(from, to, new Date('2026-01-20T23:59:59Z'))).toBe(false);
    expect(needsRenewal(from, to, new Date('2026-01-21T00:00:00Z'))).toBe(true);
    expect(needsRenewal(from, to, new Date('2026-02-15T00:00:00Z'))).toBe(true);
  });
});
