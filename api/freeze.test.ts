import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_KINDS } from './detection.js';
import { deepFreeze } from './freeze.js';
import { DEFAULT_GOVERNANCE_POLICY_SPEC } from './governance-policy.js';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays', () => {
    const value = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => (value.a.b as number[]).push(3)).toThrow(TypeError);
  });

  it('protects the shared defaults from consumers', () => {
    expect(Object.isFrozen(DEFAULT_GOVERNANCE_POLICY_SPEC.exemptNamespaces)).toBe(true);
    expect(Object.isFrozen(DEFAULT_GOVERNANCE_POLICY_SPEC.aiWorkloadDetection)).toBe(true);
    expect(Object.isFrozen(DEFAULT_AI_KINDS[0])).toBe(true);
  });
});
