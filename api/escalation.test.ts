import { describe, expect, it } from 'vitest';
import { escalationSchema } from './escalation.js';
import { validationErrors } from './issues.js';

const escalation = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Escalation',
  metadata: { name: 'delegationexpiring-fraud-scoring-fraud-scorer', namespace: 'risk-ai' },
  spec: {
    trigger: 'DelegationExpiring',
    severity: 'Warning',
    subject: {
      apiVersion: 'oos.dev/v1alpha1',
      kind: 'Delegation',
      namespace: 'risk-ai',
      name: 'fraud-scoring-fraud-scorer',
    },
    capability: 'fraud-scoring',
    accountableRole: 'credit-risk-officer',
    policy: 'risk-escalations',
    summary: 'The delegation expires in 14 days: grant a new one.',
    ...spec,
  },
  status: {
    level: 1,
    notifiedRoles: ['credit-risk-officer'],
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Notified',
        lastTransitionTime: '2027-01-15T00:00:00Z',
        observedGeneration: 1,
      },
      {
        type: 'Resolved',
        status: 'False',
        reason: 'CauseRemains',
        message: 'Still expiring.',
        lastTransitionTime: '2027-01-15T00:00:00Z',
      },
    ],
  },
});

describe('Escalation', () => {
  it('accepts an open escalation with its status, unacknowledged by default', () => {
    expect(escalationSchema.parse(escalation()).spec.acknowledged).toBe(false);
  });

  it('accepts an acknowledgement with its stamp', () => {
    const acknowledged = {
      acknowledged: true,
      acknowledgedBy: 'alice',
      acknowledgementNote: 'Renewing today.',
    };
    expect(validationErrors(escalationSchema, escalation(acknowledged))).toEqual([]);
  });

  it.each([
    [
      'acknowledgedBy without acknowledgement',
      { acknowledgedBy: 'alice' },
      'spec.acknowledgedBy: acknowledgedBy is only set on an acknowledged escalation',
    ],
    ['an unknown trigger', { trigger: 'Drift' }, 'spec.trigger:'],
    [
      'a subject without name',
      { subject: { apiVersion: 'apps/v1', kind: 'Deployment' } },
      'spec.subject.name:',
    ],
    ['no summary', { summary: undefined }, 'spec.summary:'],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(escalationSchema, escalation(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  it('refuses malformed conditions', () => {
    const object = escalation();
    const bad = {
      ...object,
      status: {
        conditions: [
          { type: 'Ready', status: 'Yes', reason: 'not camel', lastTransitionTime: 'now' },
        ],
      },
    };
    expect(validationErrors(escalationSchema, bad)).toEqual([
      expect.stringMatching(/^status\.conditions\[0\]\.status:/),
      expect.stringMatching(/^status\.conditions\[0\]\.reason:/),
      expect.stringMatching(/^status\.conditions\[0\]\.lastTransitionTime:/),
    ]);
  });
});
