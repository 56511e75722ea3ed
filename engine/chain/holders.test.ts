import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  chainState,
  deployment,
  holder,
  role as roleFixture,
  snapshot,
} from '../testing/fixtures.js';
import { capability } from './capability.js';
import { chainOf, runSteps } from './step.js';
import { holders } from './holders.js';
import { role } from './role.js';

const run = (holderList: Record<string, unknown>[]) =>
  runSteps(
    [capability, role, holders],
    chainState(
      deployment(anchoredOptions),
      snapshot({ roles: [roleFixture(undefined, holderList)] }),
    ),
  );

describe('a current holder', () => {
  it('anchors the chain; every current holder is named', () => {
    const result = run([holder('alice'), holder('erin'), holder('bob', '2026-01-01T00:00:00Z')]);
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(chainOf(result.next).holders).toEqual(['alice', 'erin']);
  });

  it('is missing when every attestation lapsed: the role is vacant', () => {
    const result = run([
      holder('bob', '2026-03-01T00:00:00Z'),
      holder('alice', '2026-06-01T12:00:00Z'),
    ]);
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.reason).toBe('AccountabilityVacant');
    expect(result.verdict.message).toContain(
      'the last attestation, of alice, lapsed at 2026-06-01T12:00:00Z',
    );
  });

  it('is missing when the role has no holders at all', () => {
    const result = run([]);
    expect(result).toMatchObject({
      verdict: {
        reason: 'AccountabilityVacant',
        message: expect.stringContaining('has no holders') as unknown,
      },
    });
  });
});
