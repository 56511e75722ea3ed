import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  capability as capabilityFixture,
  chainState,
  deployment,
  snapshot,
} from '../testing/fixtures.js';
import { capability } from './capability.js';
import { chainOf, runSteps } from './step.js';
import { role } from './role.js';

describe('the accountable role', () => {
  it('enters the chain when it exists', () => {
    const result = runSteps([capability, role], chainState(deployment(anchoredOptions)));
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(chainOf(result.next).role).toBe('model-risk-officer');
  });

  it('must exist', () => {
    const snap = snapshot({
      capabilities: [capabilityFixture(undefined, { accountableRole: 'ghost' })],
    });
    const result = runSteps([capability, role], chainState(deployment(anchoredOptions), snap));
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.reason).toBe('AccountableRoleNotFound');
    expect(result.verdict.message).toContain(
      'anchored to AccountableRole ghost, which does not exist',
    );
  });
});
