import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanBody } from './scan.js';

/** What the handler would read as the uid after JSON.parse. */
function parsedUid(raw: string): string | undefined {
  const body = JSON.parse(raw) as unknown;
  if (typeof body !== 'object' || body === null) return undefined;
  const request = (body as { request?: unknown }).request;
  if (typeof request !== 'object' || request === null) return undefined;
  const uid = (request as { uid?: unknown }).uid;
  return typeof uid === 'string' && uid.length > 0 ? uid : undefined;
}

const nested = (depth: number, inner = '1'): string =>
  '['.repeat(depth) + inner + ']'.repeat(depth);

describe('scanBody', () => {
  it('measures nesting outside strings only', () => {
    expect(scanBody('{"a":[{"b":"[[[[{{{{"}]}', 10)).toEqual({
      depth: 3,
      tooDeep: false,
      uid: undefined,
    });
    expect(scanBody('"\\"[[["', 10).depth).toBe(0);
    expect(scanBody(nested(5), 5)).toMatchObject({ depth: 5, tooDeep: false });
    expect(scanBody(nested(6), 5)).toMatchObject({ depth: 6, tooDeep: true });
  });

  it('reads the uid wherever it stands, even after a part nested too deep', () => {
    const deep = '['.repeat(5_000_000) + ']'.repeat(5_000_000);
    expect(scanBody(`{"request":{"uid":"u-1","object":${deep}}}`, 128)).toEqual({
      depth: 5_000_002,
      tooDeep: true,
      uid: 'u-1',
    });
    expect(scanBody(`{"request":{"object":${deep},"uid":"u-2"}}`, 128).uid).toBe('u-2');
  });

  it('reads request.uid and nothing else called uid', () => {
    const raw = JSON.stringify({
      kind: 'AdmissionReview',
      object: { uid: 'not-me' },
      request: { object: { metadata: { uid: 'nor-me' } }, uid: 'me', oldObject: { uid: 'x' } },
    });
    expect(scanBody(raw, 128).uid).toBe('me');
  });

  it.each([
    ['escaped key and value', '{"requ\\u0065st":{"u\\u0069d":"a\\"b"}}', 'a"b'],
    ['last duplicate uid wins', '{"request":{"uid":"a","uid":"b"}}', 'b'],
    ['a later uid that is not a string', '{"request":{"uid":"a","uid":5}}', undefined],
    ['a later request that is a string', '{"request":{"uid":"a"},"request":"x"}', undefined],
    ['a later request that is null', '{"request":{"uid":"a"},"request":null}', undefined],
    [
      'a later request that is an array',
      '{"request":{"uid":"a"},"request":[{"uid":"b"}]}',
      undefined,
    ],
    ['an empty uid', '{"request":{"uid":""}}', undefined],
    ['request inside an array', '[{"request":{"uid":"a"}}]', undefined],
    ['whitespace everywhere', ' { "request" : { "uid" : "a" } } ', 'a'],
  ])('%s', (_name, raw, uid) => {
    expect(scanBody(raw, 128).uid).toBe(uid);
    expect(parsedUid(raw)).toBe(uid);
  });

  it('keeps the uid read before a body is cut short', () => {
    expect(scanBody('{"request":{"uid":"u-42","kind":{"gro', 128).uid).toBe('u-42');
  });

  it('agrees with JSON.parse on the uid and the depth of any JSON', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null
        ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
        : 0;
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 5 }),
        fc.option(fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
        (value, uid) => {
          const body = { kind: 'AdmissionReview', request: { object: value, uid } };
          const raw = JSON.stringify(body);
          const scan = scanBody(raw, 1000);
          expect(scan.uid).toBe(parsedUid(raw));
          expect(scan.depth).toBe(depthOf(JSON.parse(raw)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
