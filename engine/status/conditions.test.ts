import { describe, expect, it } from 'vitest';
import { formatSeconds, mergeConditions, statusChanged } from './conditions.js';

const T0 = Date.parse('2026-06-01T12:00:00.750Z');
const T1 = T0 + 3_600_000;

describe('conditions', () => {
  it('are stamped with the time in whole seconds and the generation', () => {
    expect(formatSeconds(T0)).toBe('2026-06-01T12:00:00Z');
    // Within the same second the same text; the next second its own (the one-entry memo).
    expect(formatSeconds(T0 + 200)).toBe('2026-06-01T12:00:00Z');
    expect(formatSeconds(T0 + 300)).toBe('2026-06-01T12:00:01Z');
    expect(formatSeconds(T0)).toBe('2026-06-01T12:00:00Z');
    expect(
      mergeConditions(
        undefined,
        [{ type: 'Ready', status: 'True', reason: 'Ok', message: 'fine' }],
        3,
        T0,
      ),
    ).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ok',
        message: 'fine',
        lastTransitionTime: '2026-06-01T12:00:00Z',
        observedGeneration: 3,
      },
    ]);
  });

  it('keep lastTransitionTime while the status stays, even when reason and message change', () => {
    const first = mergeConditions(
      undefined,
      [{ type: 'Ready', status: 'False', reason: 'A', message: 'a' }],
      1,
      T0,
    );
    const later = mergeConditions(
      first,
      [{ type: 'Ready', status: 'False', reason: 'B', message: 'b' }],
      2,
      T1,
    );
    expect(later[0]).toMatchObject({
      reason: 'B',
      lastTransitionTime: '2026-06-01T12:00:00Z',
      observedGeneration: 2,
    });
  });

  it('move lastTransitionTime when the status changes, and drop types no longer wanted', () => {
    const first = mergeConditions(
      undefined,
      [
        { type: 'Ready', status: 'False', reason: 'A', message: 'a' },
        { type: 'Old', status: 'True', reason: 'A', message: 'a' },
      ],
      undefined,
      T0,
    );
    const later = mergeConditions(
      first,
      [{ type: 'Ready', status: 'True', reason: 'Ok', message: '' }],
      undefined,
      T1,
    );
    expect(later).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ok',
        message: '',
        lastTransitionTime: '2026-06-01T13:00:00Z',
      },
    ]);
  });

  it('tell whether a status must be written', () => {
    const status = { vacant: false, currentHolders: 1 };
    expect(statusChanged({ currentHolders: 1, vacant: false }, status)).toBe(false);
    expect(statusChanged({ ...status, nextAttestationExpiry: undefined }, status)).toBe(false);
    expect(statusChanged(undefined, status)).toBe(true);
    expect(statusChanged({ ...status, vacant: true }, status)).toBe(true);
    expect(statusChanged({ ...status, extra: 1 }, status)).toBe(true);
  });
});
