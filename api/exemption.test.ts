import { describe, expect, it } from 'vitest';
import { exemptionSchema } from './exemption.js';
import { validationErrors } from './issues.js';

const exemption = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Exemption',
  metadata: { name: 'fraud-scoring-gpu-benchmark', namespace: 'risk-ai' },
  spec: {
    capability: 'fraud-scoring',
    scope: { kinds: [{ group: 'batch', kind: 'Job' }], names: ['fraud-scoring-gpu-benchmark'] },
    justification: 'One-off benchmark on two GPUs.',
    expiresAt: '2026-12-10T18:00:00Z',
    ...spec,
  },
});

describe('Exemption', () => {
  it('accepts a narrow request, unapproved by default', () => {
    expect(exemptionSchema.parse(exemption()).spec.approved).toBe(false);
  });

  it.each([
    ['approval by another person', { requestedBy: 'alice', approved: true, approvedBy: 'bob' }],
    [
      'a selector as the only scope',
      { scope: { selector: { matchLabels: { app: 'benchmark' } } } },
    ],
    ['a core kind (empty group)', { scope: { kinds: [{ kind: 'Pod' }] } }],
    ['another namespace', { scope: { namespace: 'payments', names: ['x'] } }],
  ])('accepts %s', (_what, spec) => {
    expect(validationErrors(exemptionSchema, exemption(spec))).toEqual([]);
  });

  it.each([
    [
      'self-approval',
      { requestedBy: 'alice', approved: true, approvedBy: 'alice' },
      'spec.approvedBy: approvedBy must be a different person from requestedBy',
    ],
    [
      'approvedBy without approval',
      { requestedBy: 'alice', approvedBy: 'bob' },
      'spec.approvedBy: approvedBy is only set on an approved exemption',
    ],
    [
      'a scope of a whole namespace',
      { scope: { namespace: 'risk-ai' } },
      'spec.scope: an exemption must be narrow',
    ],
    ['an empty selector', { scope: { selector: {} } }, 'spec.scope: an exemption must be narrow'],
    [
      'empty lists as the only scope',
      { scope: { kinds: [], names: [], selector: { matchLabels: {}, matchExpressions: [] } } },
      'an empty selector selects everything',
    ],
    [
      'approvedDigest without approval',
      { approvedDigest: `sha256:${'a'.repeat(64)}` },
      'spec.approvedDigest: approvedDigest is only set on an approved exemption',
    ],
    [
      'an approvedDigest that is no SHA-256',
      { requestedBy: 'alice', approved: true, approvedBy: 'bob', approvedDigest: 'md5:abc' },
      'spec.approvedDigest: must be sha256:',
    ],
    ['no expiry', { expiresAt: undefined }, 'spec.expiresAt:'],
    [
      'a kind in lower case',
      { scope: { kinds: [{ group: 'batch', kind: 'job' }] } },
      'spec.scope.kinds[0].kind:',
    ],
    [
      'a selector with an unknown operator',
      { scope: { selector: { matchExpressions: [{ key: 'app', operator: 'Like' }] } } },
      'spec.scope.selector.matchExpressions[0].operator:',
    ],
    [
      'a selector with 33 labels',
      {
        scope: {
          selector: {
            matchLabels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])),
          },
        },
      },
      'spec.scope.selector.matchLabels: must have at most 32 entries',
    ],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(exemptionSchema, exemption(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });
});
