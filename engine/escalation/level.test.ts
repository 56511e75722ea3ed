import { describe, expect, it } from 'vitest';
import { dueLevels, escalationLevel, nextLevelAt } from './level.js';

const levels = [{ afterMs: 0 }, { afterMs: 5_000 }, { afterMs: 60_000 }];
const opened = 1_000_000;
const input = (now: number, more: { stored?: number; frozen?: boolean } = {}) => ({
  levels,
  openedAt: opened,
  stored: more.stored ?? 0,
  frozen: more.frozen ?? false,
  now,
});

describe('escalation levels', () => {
  it('are due one after another as their after passes', () => {
    expect(dueLevels(levels, opened, opened)).toBe(1);
    expect(dueLevels(levels, opened, opened + 4_999)).toBe(1);
    expect(dueLevels(levels, opened, opened + 5_000)).toBe(2);
    expect(dueLevels(levels, opened, opened + 3_600_000)).toBe(3);
    expect(dueLevels([{ afterMs: 10 }], opened, opened)).toBe(0);
  });

  it('stop climbing when acknowledged or resolved, and never go down', () => {
    expect(escalationLevel(input(opened + 10_000))).toBe(2);
    expect(escalationLevel(input(opened + 10_000, { stored: 1, frozen: true }))).toBe(1);
    expect(escalationLevel(input(opened, { stored: 3 }))).toBe(3);
  });

  it('tell when the next level falls due', () => {
    expect(nextLevelAt(input(opened))).toBe(opened + 5_000);
    expect(nextLevelAt(input(opened + 5_000))).toBe(opened + 60_000);
    expect(nextLevelAt(input(opened + 60_000))).toBeUndefined();
    expect(nextLevelAt(input(opened, { frozen: true }))).toBeUndefined();
  });
});
