import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_DEPTH, MalformedBody, parseJsonBody } from './body.js';

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
    expect((body as MalformedBody).code).toBe('OOS_ERR_BAD_ADMISSION_REVIEW');
    expect((body as MalformedBody).message).toMatch(/not valid JSON/);
  });

  it('has no uid when none can be read', () => {
    expect((parseJsonBody('not json') as MalformedBody).uid).toBeUndefined();
  });

  it('parses a body exactly as deep as the limit', () => {
    const raw = `{"request":{"uid":"u","object":${'['.repeat(DEFAULT_MAX_BODY_DEPTH - 2)}${']'.repeat(DEFAULT_MAX_BODY_DEPTH - 2)}}}`;
    expect(parseJsonBody(raw)).not.toBeInstanceOf(MalformedBody);
  });

  it('refuses a deeper body without parsing it, with its uid and a clear message', () => {
    const raw = `{"request":{"uid":"u-7","object":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}}`;
    const body = parseJsonBody(raw);
    expect(body).toBeInstanceOf(MalformedBody);
    expect(body).toMatchObject({
      code: 'OOS_ERR_BODY_TOO_DEEP',
      uid: 'u-7',
      message: expect.stringMatching(/nests deeper than 128 levels/) as string,
    });
    expect((body as MalformedBody).message).not.toMatch(/report|bug|maintainer/i);
  });

  it('takes the depth limit it is given', () => {
    expect(parseJsonBody('[[[1]]]', 3)).toEqual([[[1]]]);
    expect(parseJsonBody('[[[1]]]', 2)).toMatchObject({ code: 'OOS_ERR_BODY_TOO_DEEP' });
  });
});
