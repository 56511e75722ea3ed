import { describe, expect, it } from 'vitest';
import { EventCorrelator } from './correlator.js';
import { microTime } from './time.js';

describe('the event correlator', () => {
  it('updates the series of a repeated event instead of creating another', () => {
    const now = 0;
    const correlator = new EventCorrelator({ now: () => now });
    expect(correlator.observe('Deployment/ml/a', 'Warning/ScaledToZero', 'ml')).toEqual({
      action: 'create',
    });
    correlator.created('Deployment/ml/a', 'Warning/ScaledToZero', 'a.1');
    expect(correlator.observe('Deployment/ml/a', 'Warning/ScaledToZero', 'ml')).toEqual({
      action: 'update',
      name: 'a.1',
      namespace: 'ml',
      count: 2,
    });
    expect(correlator.observe('Deployment/ml/a', 'Normal/Other', 'ml')).toEqual({
      action: 'create',
    });
  });

  it('creates a new event once the de-duplication window has passed', () => {
    let now = 0;
    const correlator = new EventCorrelator({ now: () => now, dedupWindowMs: 1_000 });
    correlator.observe('o', 'i', 'ns');
    correlator.created('o', 'i', 'o.1');
    now = 1_000;
    expect(correlator.observe('o', 'i', 'ns')).toEqual({ action: 'create' });
  });

  it('rate limits each object with a token bucket: a burst, then one per refill period', () => {
    let now = 0;
    const correlator = new EventCorrelator({ now: () => now, burst: 3, refillMs: 60_000 });
    const verdicts = Array.from(
      { length: 5 },
      (_, i) => correlator.observe('flappy', `e${i}`, 'ns').action,
    );
    expect(verdicts).toEqual(['create', 'create', 'create', 'drop', 'drop']);
    expect(correlator.observe('quiet', 'e', 'ns').action).toBe('create');
    now = 59_999;
    expect(correlator.observe('flappy', 'x', 'ns').action).toBe('drop');
    now = 60_000 + 59_999;
    expect(correlator.observe('flappy', 'y', 'ns').action).toBe('create');
    expect(correlator.observe('flappy', 'z', 'ns').action).toBe('drop');
  });

  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2026-06-01T12:00:00.123Z'))).toBe('2026-06-01T12:00:00.123000Z');
  });
});
