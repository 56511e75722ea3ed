import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  createServiceAccountKeys,
  issueCertificate,
  loadCertificateAuthority,
  notAfter,
} from './pki.js';

describe('PKI: certificate authority, serving and client certificates', () => {
  it('issues a serving certificate the CA verifies, with the loopback names', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const leaf = await issueCertificate(ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const caCert = new X509Certificate(ca.cert);
    const cert = new X509Certificate(leaf.cert);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
  });

  it('puts groups in the organization of a client certificate', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const client = await issueCertificate(ca, {
      commonName: 'oos-admin',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const cert = new X509Certificate(client.cert);
    expect(cert.subject).toContain('CN=oos-admin');
    expect(cert.subject).toContain('O=system:masters');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(cert.keyUsage).not.toContain('1.3.6.1.5.5.7.3.1');
  });

  it('makes a ServiceAccount key pair that signs and verifies', () => {
    const keys = createServiceAccountKeys();
    const data = Buffer.from('token');
    const signature = sign('sha256', data, createPrivateKey(keys.privateKey));
    expect(verify('sha256', data, createPublicKey(keys.publicKey), signature)).toBe(true);
    expect(keys.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(keys.publicKey).toContain('BEGIN PUBLIC KEY');
  });

  it('reloads a CA from PEM and keeps issuing certificates it verifies', async () => {
    const original = await createCertificateAuthority('test-ca', 30);
    const reloaded = await loadCertificateAuthority(original.cert, original.key);
    const leaf = await issueCertificate(reloaded, {
      commonName: 'oos-webhook',
      usage: 'server',
      dnsNames: ['oos-webhook.oos-system.svc'],
      validDays: 7,
    });
    expect(
      new X509Certificate(leaf.cert).verify(new X509Certificate(original.cert).publicKey),
    ).toBe(true);
    const days = (notAfter(leaf.cert).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
  });
});
