import { describe, expect, it } from 'vitest';
import { MalformedBody, parseJsonBody } from './body.js';

describe('parseJsonBody', () => {
  it('parses JSON', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ a: 1 });
  });

  it('keeps the uid of a truncated body so the answer can still carry it', () => {
    const body = parseJsonBody(
      '{"apiVersion":"admission.k8s.io/v1","request":{"uid":"u-42","kind":',
    );
    expect(body).toBeInstanceOf(MalformedBody);
    expect((body as MalformedBody).uid).toBe('u-42');
    expect((body as MalformedBody).message).toMatch(/not valid JSON/);
  });

  it('has no uid when none can be read', () => {
    expect((parseJsonBody('not json') as MalformedBody).uid).toBeUndefined();
  });
});
