import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SelfManagedTls } from '../../operator/certificates/self-managed.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { loadKubeconfig } from '../../operator/kube/kubeconfig.js';
import { buildApp, type AdmissionApp } from '../../webhooks/app.js';
import { fixedGovernance } from '../../webhooks/testing/fixed-governance.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';

const NS = 'oos-certs-e2e';
const DAY = 86_400_000;
const logger = pino({ level: 'silent' });

function rest(): KubeRest {
  return new KubeRest(loadKubeconfig({ file: inject('kubeconfig') }).access);
}

function manager(clock: () => Date, bundles: string[]): SelfManagedTls {
  return new SelfManagedTls({
    rest: rest(),
    logger,
    namespace: NS,
    secretName: 'oos-webhook-tls',
    dnsNames: [],
    ipAddresses: ['127.0.0.1'],
    clock,
    onCaBundle: (bundle) => {
      bundles.push(bundle);
      return Promise.resolve();
    },
  });
}

/** The serial number of the certificate a TLS server presents, verified against `ca`. */
function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: undefined }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.on('error', reject);
  });
}

describe('self-managed webhook certificates, kept in a Secret', () => {
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', NS]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
  });

  let app: AdmissionApp | undefined;
  afterAll(async () => {
    await app?.close();
  });

  it('issues once, shares with every replica, renews before expiry and reloads without a restart', async () => {
    // Issue as if 250 of the certificate's 365 days had already passed, then check again today.
    let now = new Date(Date.now() - 250 * DAY);
    const bundles: string[] = [];
    const first = manager(() => now, bundles);
    await first.ensure();
    const secret = await getJson<{ type: string; data: Record<string, string> }>([
      'secret',
      'oos-webhook-tls',
      '-n',
      NS,
    ]);
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret.data).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(bundles).toHaveLength(1);
    const ca = bundles[0] ?? '';
    const served = new X509Certificate(first.current().cert);
    expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(served.verify(new X509Certificate(ca).publicKey)).toBe(true);

    // A second replica takes the same pair from the Secret instead of minting its own.
    const replicaBundles: string[] = [];
    const replica = manager(() => now, replicaBundles);
    await replica.ensure();
    expect(replica.current().cert).toBe(first.current().cert);
    expect(replicaBundles).toEqual([ca]);

    // Serve HTTPS with it, then come back to today: past two thirds of its lifetime.
    app = buildApp({
      governance: fixedGovernance(undefined, { synced: () => false }),
      registry: new Registry(),
      logger,
      tls: first,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const before = await servedSerial(port, ca);
    expect(before).toBe(served.serialNumber);

    let reloaded = 0;
    first.onChange(() => reloaded++);
    now = new Date();
    await first.ensure();
    expect(reloaded).toBe(1);
    expect(bundles).toEqual([ca]); // the CA (10 years) is kept: nothing to republish
    const after = await servedSerial(port, ca);
    expect(after).not.toBe(before);
    expect(after).toBe(new X509Certificate(first.current().cert).serialNumber);

    // The replica picks the renewed pair up from the Secret at its next check.
    await replica.ensure();
    expect(replica.current().cert).toBe(first.current().cert);
  });
});
