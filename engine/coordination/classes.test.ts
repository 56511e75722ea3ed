import { describe, expect, it } from 'vitest';
import { coordinationSchema } from '../../api/index.js';
import { forbiddenBy, matchesClass } from './classes.js';

const autonomousLimited = { autonomy: 'Autonomous', riskTier: 'Limited' } as const;
const supervisedHigh = { autonomy: 'Supervised', riskTier: 'High' } as const;

describe('matchesClass', () => {
  it('matches everything when both lists are unset, and each set list must hold', () => {
    expect(matchesClass({}, autonomousLimited)).toBe(true);
    expect(matchesClass({ autonomy: ['Autonomous'] }, autonomousLimited)).toBe(true);
    expect(matchesClass({ autonomy: ['Autonomous'], riskTiers: ['High'] }, autonomousLimited)).toBe(
      false,
    );
    expect(matchesClass({ riskTiers: ['High', 'Limited'] }, supervisedHigh)).toBe(true);
  });
});

describe('forbiddenBy', () => {
  const coordination = coordinationSchema.parse({
    forbiddenEdges: [
      {
        name: 'autonomous-to-high',
        from: { autonomy: ['Autonomous'] },
        to: { riskTiers: ['High'] },
        reason: 'r1',
      },
      { name: 'nothing-leaves', from: {}, to: { external: true }, reason: 'r2' },
    ],
  });

  it('names the first rule an edge between capabilities falls in', () => {
    expect(forbiddenBy(coordination, autonomousLimited, supervisedHigh)?.name).toBe(
      'autonomous-to-high',
    );
    expect(forbiddenBy(coordination, supervisedHigh, autonomousLimited)).toBeUndefined();
  });

  it('keeps rules about outside destinations apart from rules about capabilities', () => {
    expect(forbiddenBy(coordination, supervisedHigh, 'external')?.name).toBe('nothing-leaves');
    const onlyCapabilities = coordinationSchema.parse({
      forbiddenEdges: [{ name: 'any', from: {}, to: {}, reason: 'r' }],
    });
    expect(forbiddenBy(onlyCapabilities, supervisedHigh, 'external')).toBeUndefined();
    expect(forbiddenBy(onlyCapabilities, supervisedHigh, autonomousLimited)?.name).toBe('any');
  });

  it('forbids nothing without rules', () => {
    expect(
      forbiddenBy(coordinationSchema.parse({}), autonomousLimited, 'external'),
    ).toBeUndefined();
  });
});
