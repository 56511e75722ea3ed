import { describe, expect, it } from 'vitest';
import { STEPS } from '../chain/index.js';
import { CHAIN_FAILURES } from '../reasons.js';
import { CHAIN_OUTCOMES, outcomeOf, severityOf } from './outcome.js';

describe('report outcomes', () => {
  it('give every chain failure a rule and a fail, so a new step is never reported as an error', () => {
    for (const reason of CHAIN_FAILURES) {
      expect(CHAIN_OUTCOMES[reason]?.result, reason).toBe('fail');
    }
  });

  it('name rules after the steps of the chain', () => {
    const steps = new Set(
      STEPS.map((step) => step.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
    );
    for (const { rule } of Object.values(CHAIN_OUTCOMES)) {
      if (rule !== 'anchored') expect(steps, rule).toContain(rule);
    }
    expect(steps).toContain(outcomeOf('Exempted', 'ExemptNamespace').rule);
  });

  it('report what oos could not judge as an error, never a pass', () => {
    expect(outcomeOf('ObjectTooComplex')).toEqual({ rule: 'read', result: 'error' });
    expect(outcomeOf('InvalidObject').result).toBe('error');
  });

  it('take the severity from the risk tier, and high when there is none', () => {
    expect([severityOf('High'), severityOf('Limited'), severityOf('Minimal')]).toEqual([
      'high',
      'medium',
      'low',
    ]);
    expect(severityOf(undefined)).toBe('high');
  });
});
