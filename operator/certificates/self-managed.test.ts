import { X509Certificate } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeRest } from '../kube/rest.js';
import { SelfManagedTls } from './self-managed.js';

/** A KubeRest holding one Secret in memory: GET (404 until written), POST and PUT. */
function secretStore(): KubeRest {
  let stored: unknown;
  return {
    request: (method: string, path: string, options?: { body?: unknown }) => {
      if (method === 'GET') {
        return stored === undefined
          ? Promise.reject(new KubeApiError('GET', path, 404, '{}'))
          : Promise.resolve(stored);
      }
      stored = { ...(options?.body as object), metadata: { resourceVersion: '1' } };
      return Promise.resolve(stored);
    },
  } as unknown as KubeRest;
}

describe('self-managed serving certificate checks', () => {
  it('checks again when a short-lived certificate is due, not only every checkMs', async () => {
    let now = new Date('2026-11-30T10:00:00Z');
    const rest = secretStore();
    const tls = new SelfManagedTls({
      rest,
      logger: pino({ level: 'silent' }),
      namespace: 'oos-system',
      secretName: 'oos-webhook-tls',
      dnsNames: ['oos-webhook.oos-system.svc'],
      ipAddresses: [],
      onCaBundle: () => Promise.resolve(),
      clock: () => now,
      servingValidityMs: 120_000,
    });
    await tls.ensure();
    const first = new X509Certificate(tls.current().cert);
    // Issued back-dated by a minute, valid 2 min from now: 3 min in all, due after 2 (at +60 s).
    expect(Date.parse(first.validTo) - Date.parse(first.validFrom)).toBe(180_000);
    expect(tls.nextCheckIn(3_600_000, now)).toBe(61_000);
    // A long certificate is checked every checkMs.
    expect(tls.nextCheckIn(10_000, now)).toBe(10_000);
    now = new Date(now.getTime() + 61_000);
    await tls.ensure();
    const second = new X509Certificate(tls.current().cert);
    expect(second.serialNumber).not.toBe(first.serialNumber);
    // The CA is kept (ten years): both are signed by the one in the Secret.
    const secret = await rest.request<{ data: Record<string, string> }>('GET', '/secret');
    const ca = new X509Certificate(Buffer.from(secret.data['ca.crt'] ?? '', 'base64'));
    expect(first.verify(ca.publicKey) && second.verify(ca.publicKey)).toBe(true);
    expect(tls.nextCheckIn(3_600_000, now)).toBe(61_000);
  });
});
