import { describe, expect, it } from 'vitest';
import { anchoredOptions, chainState, deployment } from '../testing/fixtures.js';
import { capability } from './capability.js';
import { chainOf, runSteps } from './step.js';

describe('the capability', () => {
  it('named by the label is found in the namespace and enters the chain', () => {
    const result = runSteps([capability], chainState(deployment(anchoredOptions)));
    if (!('next' in result)) throw new Error('expected the chain to go on');
    expect(result.next.capability?.name).toBe('chat-assistant');
    expect(chainOf(result.next).capability).toEqual({ namespace: 'ml', name: 'chat-assistant' });
  });

  it('must exist in the same namespace', () => {
    const elsewhere = deployment({ ...anchoredOptions, namespace: 'other' });
    expect(capability(chainState(elsewhere))).toMatchObject({
      verdict: {
        reason: 'CapabilityNotFound',
        message: expect.stringContaining('(it has none yet)') as unknown,
      },
    });
  });

  it('is not found: the message lists the capabilities that exist', () => {
    const wrong = deployment({ ...anchoredOptions, labels: { 'oos.dev/capability': 'chat' } });
    const result = capability(chainState(wrong));
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.reason).toBe('CapabilityNotFound');
    expect(result.verdict.message).toContain('names capability chat');
    expect(result.verdict.message).toContain('it has chat-assistant and forecasting');
  });
});
