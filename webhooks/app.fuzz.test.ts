import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzApp } from './testing/fuzz-app.js';
import { problemWith } from './testing/fuzz-oracle.js';
import { endpoint, hostileBody } from './testing/fuzz-reviews.js';

const fuzz = fuzzApp();
afterAll(() => fuzz.app.close());

// 10,000 here; `npm run fuzz -- --count 100000` runs the same property longer (bench/fuzz.ts).
describe('the admission server under hostile AdmissionReviews', () => {
  it('always answers a well-formed review carrying the uid, or a coded 400/413, and never crashes', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(hostileBody(1), endpoint, async (raw, url) => {
        const reply = await fuzz.post(url, raw);
        answered++;
        expect(problemWith(raw, reply, fuzz.bodyLimit)).toBeUndefined();
      }),
      { numRuns: 10_000 },
    );
    expect(answered).toBe(10_000);
    expect(fuzz.errors).toEqual([]);
    const health = await fuzz.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  }, 300_000);
});
