import { describe, expect, it } from 'vitest';
import { parseAdmissionReview } from './review.js';

const request = {
  uid: 'abc-123',
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  operation: 'CREATE',
  namespace: 'ml',
  userInfo: { username: 'alice', groups: ['risk'] },
  object: { metadata: { name: 'vllm' } },
};
const review = (body: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  ...body,
});

describe('parseAdmissionReview', () => {
  it('reads a v1 AdmissionReview request', () => {
    const parsed = parseAdmissionReview(review({ request }));
    expect(parsed).toMatchObject({ ok: true, request: { uid: 'abc-123', operation: 'CREATE' } });
  });

  it.each([
    ['a string', 'hello', undefined, /not an AdmissionReview object/],
    ['null', null, undefined, /not an AdmissionReview object/],
    ['an array', [request], undefined, /not an AdmissionReview object/],
    [
      'v1beta1',
      { ...review({ request }), apiVersion: 'admission.k8s.io/v1beta1' },
      'abc-123',
      /admissionReviewVersions/,
    ],
    [
      'another kind',
      { ...review({ request }), kind: 'TokenReview' },
      'abc-123',
      /expected kind AdmissionReview/,
    ],
    ['no request', review({}), undefined, /has no request/],
    [
      'a kind that is an object',
      { ...review({ request }), kind: { toString: 0 } },
      'abc-123',
      /got kind \{"toString":0\}/,
    ],
    [
      'no operation',
      review({ request: { ...request, operation: undefined } }),
      'abc-123',
      /request\.operation/,
    ],
    [
      'an unknown operation',
      review({ request: { ...request, operation: 'PATCH' } }),
      'abc-123',
      /request\.operation/,
    ],
    ['no kind', review({ request: { ...request, kind: undefined } }), 'abc-123', /request\.kind/],
    ['an empty uid', review({ request: { ...request, uid: '' } }), undefined, /request\.uid/],
  ])(
    'refuses %s with a message, keeping the uid when there is one',
    (_name, body, uid, message) => {
      const parsed = parseAdmissionReview(body);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.uid).toBe(uid);
      expect(parsed.message).toMatch(message);
    },
  );

  it('describes a wrong kind nested too deeply to print, without throwing', () => {
    let kind: unknown = 'x';
    for (let i = 0; i < 1_000_000; i++) kind = [kind];
    const parsed = parseAdmissionReview({ apiVersion: 'admission.k8s.io/v1', kind, request });
    expect(parsed).toMatchObject({ ok: false, uid: 'abc-123' });
    expect(parsed.ok ? '' : parsed.message).toContain('got kind object');
  });
});
