import { describe, expect, it } from 'vitest';
import type { LoadRecord } from './load-types.js';
import { quantile, summarize } from './summary.js';

const record = (over: Partial<LoadRecord>): LoadRecord => ({
  case: 'anchored',
  expected: 'allowed',
  actual: 'allowed',
  status: 201,
  at: 0,
  latencyMs: 1,
  ...over,
});

describe('summarize', () => {
  it('counts as failed a refusal of an allowed object, an allowed denied one and any error', () => {
    const s = summarize([
      record({ at: 0 }),
      record({
        at: 500,
        actual: 'error',
        status: 500,
        error: 'HTTP 500: failed calling webhook 12',
      }),
      record({ at: 1000, expected: 'denied', actual: 'allowed', case: 'unknown' }),
      record({ at: 1500, expected: 'denied', actual: 'denied', status: 403, case: 'unknown' }),
      record({ at: 2000, actual: 'error', status: 0, error: 'ECONNREFUSED' }),
    ]);
    expect(s).toMatchObject({ sent: 5, failed: 3, allowedExpected: 3, deniedExpected: 2, rate: 2 });
    // The last answer came 1 ms after the last send at 2 s: 5 answers over 2.001 s.
    expect(s.answeredRate).toBeCloseTo(5 / 2.001);
    expect(s.failures).toEqual([
      { error: 'anchored: error (HTTP N: failed calling webhook N)', count: 1 },
      { error: 'unknown: allowed', count: 1 },
      { error: 'anchored: error (ECONNREFUSED)', count: 1 },
    ]);
  });

  it('keeps the cause at the end of a long error', () => {
    const error = `HTTP 500: Internal error occurred: failed calling webhook "workloads.oos.dev": failed to call webhook: Post "https://oos-webhook.oos-system.svc:443/validate?timeout=3s": ${'x'.repeat(200)} context deadline exceeded`;
    const s = summarize([record({ actual: 'error', error })]);
    expect(s.failures[0]?.error).toMatch(
      /^anchored: error \(HTTP N: Internal error .* … .*context deadline exceeded\)$/,
    );
  });

  it('leaves out what the scenario excludes, and takes latency quantiles by nearest rank', () => {
    const records = Array.from({ length: 100 }, (_, i) => record({ at: i * 10, latencyMs: i + 1 }));
    const s = summarize(
      [...records, record({ actual: 'error', latencyMs: 9999 })],
      (r) => r.actual === 'error',
    );
    expect(s).toMatchObject({ sent: 100, failed: 0, p50Ms: 50, p99Ms: 99, maxMs: 100 });
    expect(quantile([], 0.5)).toBeNaN();
  });
});
