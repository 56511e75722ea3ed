import { describe, expect, it } from 'vitest';
import { escalationPolicySchema } from './escalation-policy.js';
import { validationErrors } from './issues.js';

const policy = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'EscalationPolicy',
  metadata: { name: 'risk-escalations', namespace: 'risk-ai' },
  spec: {
    triggers: [
      { type: 'AccountabilityVacant', severity: 'Critical' },
      { type: 'DelegationExpiring', severity: 'Warning', leadTime: '14d' },
    ],
    levels: [
      { after: '0s', notifyAccountableRole: true },
      { after: '4h', roles: ['chief-risk-officer'] },
    ],
    ...spec,
  },
});

describe('EscalationPolicy', () => {
  it('accepts a two-level ladder and keeps resolved escalations 180d by default', () => {
    const parsed = escalationPolicySchema.parse(policy());
    expect(parsed.spec.retention).toBe('180d');
    expect(parsed.spec.levels[1]?.notifyAccountableRole).toBe(false);
  });

  it.each([
    [
      'leadTime on a trigger that has no deadline',
      { triggers: [{ type: 'DelegationExpired', severity: 'Critical', leadTime: '1d' }] },
      'spec.triggers[0].leadTime: leadTime applies only to AttestationExpiring and DelegationExpiring triggers',
    ],
    [
      'a zero leadTime',
      { triggers: [{ type: 'AttestationExpiring', severity: 'Info', leadTime: '0d' }] },
      'spec.triggers[0].leadTime: must be a duration longer than zero',
    ],
    [
      'the same trigger twice',
      {
        triggers: [
          { type: 'BoundaryViolation', severity: 'Critical' },
          { type: 'BoundaryViolation', severity: 'Info' },
        ],
      },
      'spec.triggers[1]: Duplicate value: {"type":"BoundaryViolation"}',
    ],
    [
      'an unknown trigger',
      { triggers: [{ type: 'ModelDrift', severity: 'Info' }] },
      'spec.triggers[0].type:',
    ],
    [
      'an unknown severity',
      { triggers: [{ type: 'ExemptionExpired', severity: 'Urgent' }] },
      'spec.triggers[0].severity:',
    ],
    ['no trigger', { triggers: [] }, 'spec.triggers:'],
    [
      'a level that notifies no one',
      { levels: [{ after: '1h' }] },
      'spec.levels[0].roles: a level must notify someone',
    ],
    [
      'a level after a non-duration',
      { levels: [{ after: '4 hours', notifyAccountableRole: true }] },
      'spec.levels[0].after: must be a duration',
    ],
    [
      'six levels',
      { levels: Array.from({ length: 6 }, () => ({ after: '1h', notifyAccountableRole: true })) },
      'spec.levels:',
    ],
    [
      'a zero retention',
      { retention: '0s' },
      'spec.retention: must be a duration longer than zero',
    ],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(escalationPolicySchema, policy(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });
});
