import { describe, expect, it } from 'vitest';
import {
  bucketsDelta,
  calls,
  histogramQuantile,
  oosWebhookBuckets,
} from './apiserver-histogram.js';

const scrape = (fast: number, slow: number, other = 7): string =>
  [
    '# TYPE apiserver_admission_webhook_admission_duration_seconds histogram',
    `apiserver_admission_webhook_admission_duration_seconds_bucket{name="workloads.oos.dev",operation="CREATE",rejected="false",type="validating",le="0.005"} ${fast}`,
    `apiserver_admission_webhook_admission_duration_seconds_bucket{name="workloads.oos.dev",operation="CREATE",rejected="false",type="validating",le="0.025"} ${fast + slow}`,
    `apiserver_admission_webhook_admission_duration_seconds_bucket{name="workloads.oos.dev",operation="CREATE",rejected="false",type="validating",le="+Inf"} ${fast + slow}`,
    `apiserver_admission_webhook_admission_duration_seconds_bucket{name="other.example.com",operation="CREATE",rejected="false",type="validating",le="+Inf"} ${other}`,
  ].join('\n');

describe('the apiserver histogram of the oos webhooks', () => {
  it('keeps only the oos webhooks and takes the difference of two scrapes', () => {
    const { delta, reset } = bucketsDelta(
      oosWebhookBuckets(scrape(10, 0)),
      oosWebhookBuckets(scrape(100, 10)),
    );
    expect(reset).toBe(false);
    expect(calls(delta)).toBe(100);
    expect(delta.get(0.005)).toBe(90);
    // p50 inside the first bucket, p99 inside the second (linear, as histogram_quantile).
    expect(histogramQuantile(delta, 0.5)).toBeCloseTo(0.005 * (50 / 90));
    expect(histogramQuantile(delta, 0.99)).toBeCloseTo(0.005 + 0.02 * (9 / 10));
  });

  it('takes the later scrape alone when the apiserver restarted in between', () => {
    const { delta, reset } = bucketsDelta(
      oosWebhookBuckets(scrape(100, 10)),
      oosWebhookBuckets(scrape(3, 1)),
    );
    expect(reset).toBe(true);
    expect(calls(delta)).toBe(4);
    expect(histogramQuantile(new Map(), 0.99)).toBeNaN();
  });
});
