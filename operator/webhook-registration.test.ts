import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validatingConfiguration } from '../webhooks/registration.js';
import { drifted, keepPublished } from './webhook-registration.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('keepPublished', () => {
  it('retries a failed publication with backoff, then republishes periodically and when nudged', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const publish = vi.fn(() => {
      calls++;
      return calls <= 2 ? Promise.reject(new Error('404 not found')) : Promise.resolve();
    });
    const publisher = keepPublished(publish, pino({ level: 'silent' }), 60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1); // at once
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2); // first retry within the first backoff step
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(3); // second retry, succeeds
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls).toBe(3); // nothing until the period is over
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(4); // periodic republication
    publisher.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(5); // a new CA bundle is published at once
    publisher.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toBe(5);
  });
});

describe('drift of a webhook configuration', () => {
  const options = {
    name: 'oos',
    target: { url: 'https://127.0.0.1:9443' },
    caBundle: 'PEM',
    operatorNamespace: 'oos-system',
    operatorUser: 'system:serviceaccount:oos-system:oos',
    extraWorkloads: [{ group: 'example.com', plural: 'llmagents' }],
  };
  const desired = validatingConfiguration(options);
  /** The stored copy: what oos applied plus fields the apiserver defaults. */
  const stored = (): { webhooks: Record<string, unknown>[] } =>
    structuredClone({
      ...desired,
      webhooks: (desired.webhooks as Record<string, unknown>[]).map((webhook) => ({
        objectSelector: {},
        ...webhook,
      })),
    });

  it('is none when the stored copy holds what oos applied, defaults aside', () => {
    expect(drifted(stored(), desired)).toBe(false);
  });

  it('is found when a rule is removed, a webhook deleted, or the configuration gone', () => {
    const withoutRule = stored();
    const workloads = withoutRule.webhooks[0] as { rules: unknown[] };
    workloads.rules = workloads.rules.filter((rule) => !JSON.stringify(rule).includes('llmagents'));
    expect(drifted(withoutRule, desired)).toBe(true);
    const withoutWebhook = stored();
    withoutWebhook.webhooks.splice(1, 1);
    expect(drifted(withoutWebhook, desired)).toBe(true);
    const failOpen = stored();
    (failOpen.webhooks[0] as { failurePolicy: string }).failurePolicy = 'Ignore';
    expect(drifted(failOpen, desired)).toBe(true);
    expect(drifted(undefined, desired)).toBe(true);
  });
});
