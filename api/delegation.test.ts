import { describe, expect, it } from 'vitest';
import { toStructuralSchema } from './crd/openapi.js';
import { delegationSchema, delegationSpecSchema } from './delegation.js';
import { validationErrors } from './issues.js';

const delegation = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Delegation',
  metadata: { name: 'fraud-scoring-fraud-scorer', namespace: 'risk-ai' },
  spec: {
    capability: 'fraud-scoring',
    serviceAccount: 'fraud-scorer',
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: '2027-01-29T00:00:00Z',
    justification: 'Production fraud scoring.',
    ...spec,
  },
});

describe('Delegation', () => {
  it('accepts a bounded delegation, not revoked by default', () => {
    expect(delegationSchema.parse(delegation()).spec.revoked).toBe(false);
  });

  it('accepts a delegation that starts at creation (no validFrom)', () => {
    expect(validationErrors(delegationSchema, delegation({ validFrom: undefined }))).toEqual([]);
  });

  it('compares instants, not strings, across time zones', () => {
    const spec = { validFrom: '2027-01-01T10:00:00+02:00', validUntil: '2027-01-01T09:00:00Z' };
    expect(validationErrors(delegationSchema, delegation(spec))).toEqual([]);
    const inverted = { validFrom: '2027-01-01T10:00:00-02:00', validUntil: '2027-01-01T11:00:00Z' };
    expect(validationErrors(delegationSchema, delegation(inverted))).toEqual([
      'spec.validUntil: validUntil must be after validFrom',
    ]);
  });

  it.each([
    [
      'validUntil before validFrom',
      { validUntil: '2026-10-01T00:00:00Z' },
      'spec.validUntil: validUntil must be after validFrom',
    ],
    [
      'validUntil equal to validFrom',
      { validUntil: '2026-11-01T00:00:00Z' },
      'spec.validUntil: validUntil must be after validFrom',
    ],
    ['no validUntil', { validUntil: undefined }, 'spec.validUntil:'],
    ['a date without time', { validUntil: '2027-01-29' }, 'spec.validUntil:'],
    [
      'a capability name with a dot',
      { capability: 'fraud.scoring' },
      'spec.capability: must be a DNS-1123 label',
    ],
    [
      'a ServiceAccount username instead of a name',
      { serviceAccount: 'system:serviceaccount:risk-ai:fraud-scorer' },
      'spec.serviceAccount: must be a DNS-1123 subdomain',
    ],
    ['no justification', { justification: '' }, 'spec.justification:'],
  ])('refuses %s', (_what, spec, error) => {
    const errors = validationErrors(delegationSchema, delegation(spec));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  it('leaves grantedBy immutability, no extension and no un-revoking to the apiserver', () => {
    const rules = delegationSpecSchema.meta()?.['x-kubernetes-validations'] ?? [];
    expect(rules.find((r) => r.fieldPath === '.grantedBy')).toEqual({
      rule: '!has(oldSelf.grantedBy) || (has(self.grantedBy) && self.grantedBy == oldSelf.grantedBy)',
      message: 'grantedBy is stamped by admission and cannot change once set',
      fieldPath: '.grantedBy',
      reason: 'FieldValueForbidden',
    });
    const properties = toStructuralSchema(delegationSpecSchema).properties ?? {};
    const fieldRules = (field: string) =>
      (properties[field]?.['x-kubernetes-validations'] ?? []).map((r) => r.rule);
    expect(fieldRules('validUntil')).toContain('self <= oldSelf');
    expect(fieldRules('revoked')).toContain('!oldSelf || self');
    expect(fieldRules('capability')).toContain('self == oldSelf');
    expect(fieldRules('serviceAccount')).toContain('self == oldSelf');
  });
});
