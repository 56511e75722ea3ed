import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  capability as capabilityFixture,
  chainState,
  deployment,
  snapshot,
} from '../testing/fixtures.js';
import { capability } from './capability.js';
import { runSteps } from './step.js';
import { suspended } from './suspended.js';

const run = (spec: Record<string, unknown>) =>
  runSteps(
    [capability, suspended],
    chainState(
      deployment(anchoredOptions),
      snapshot({ capabilities: [capabilityFixture(undefined, spec)] }),
    ),
  );

describe('a suspended capability', () => {
  it('admits nothing, and says who pressed stop, why, and who may resume', () => {
    const result = run({ suspend: true, suspendedBy: 'bob', suspendReason: 'drift detected' });
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.reason).toBe('CapabilitySuspended');
    expect(result.verdict.message).toBe(
      'Capability ml/chat-assistant was suspended by bob (drift detected): it admits no workloads until a current holder of role model-risk-officer or a governance admin sets spec.suspend to false.',
    );
  });

  it('does not stop a capability that runs', () => {
    expect(run({ suspend: false })).toHaveProperty('next');
  });
});
