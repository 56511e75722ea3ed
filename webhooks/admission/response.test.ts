import { describe, expect, it } from 'vitest';
import { admissionResponse } from './response.js';

describe('admissionResponse', () => {
  it('denies with a Status carrying code, reason and message', () => {
    const review = admissionResponse('u1', {
      allowed: false,
      code: 403,
      reason: 'AnchorMissing',
      message: 'label it',
    });
    expect(review).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u1',
        allowed: false,
        status: { code: 403, reason: 'AnchorMissing', message: 'label it' },
      },
    });
  });

  it('allows with warnings, audit annotations and a base64 JSONPatch', () => {
    const review = admissionResponse('u2', {
      allowed: true,
      warnings: ['w'.repeat(300), 'x'.repeat(5000)],
      auditAnnotations: { capability: 'fraud-scoring' },
      patch: [{ op: 'add', path: '/spec/grantedBy', value: 'alice' }],
    });
    const { response } = review;
    expect(response.status).toBeUndefined();
    expect(response.warnings?.[0]).toHaveLength(300);
    expect(response.warnings?.[1]).toHaveLength(1024);
    expect(response.auditAnnotations).toEqual({ capability: 'fraud-scoring' });
    expect(response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString())).toEqual([
      { op: 'add', path: '/spec/grantedBy', value: 'alice' },
    ]);
  });

  it('never sends a patch with a denial', () => {
    const { response } = admissionResponse('u3', {
      allowed: false,
      patch: [{ op: 'add', path: '/x', value: 1 }],
    });
    expect(response.patch).toBeUndefined();
    expect(response.status?.code).toBe(403);
  });

  it('cuts a runaway denial message short', () => {
    const { response } = admissionResponse('u4', { allowed: false, message: 'x'.repeat(10_000) });
    expect(response.status?.message.length).toBe(4096);
    expect(response.status?.message.endsWith('…')).toBe(true);
  });
});
