import { generateKeyPairSync, webcrypto, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface CertificateAuthority extends KeyPair {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

export interface LeafRequest {
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly usage: 'server' | 'client';
  readonly validDays?: number;
  /** Start of validity (default: now); a minute of slack is taken off for clock skew. */
  readonly now?: Date;
}

function serialNumber(): string {
  // Positive 128-bit serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

/** A self-signed CA for one local control plane (ECDSA P-256). */
export async function createCertificateAuthority(
  commonName: string,
  validDays = 365,
  from: Date = new Date(),
): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const now = from.getTime();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${escapeRdn(commonName)}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + validDays * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    privateKey: keys.privateKey,
    cert: certificate.toString('pem'),
    key: await exportKey(keys.privateKey),
  };
}

/** Loads a CA kept as PEM (for instance in a Secret) so it can issue again after a restart. */
export async function loadCertificateAuthority(
  cert: string,
  key: string,
): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(cert);
  const der = x509.PemConverter.decodeFirst(key);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  return { certificate, privateKey, cert, key };
}

/** When a PEM certificate stops being valid. */
export function notAfter(cert: string): Date {
  return new x509.X509Certificate(cert).notAfter;
}

/** Issues a server or client certificate signed by `ca`. Organizations become Kubernetes groups. */
export async function issueCertificate(
  ca: CertificateAuthority,
  request: LeafRequest,
): Promise<KeyPair> {
  const keys = await generateKeys();
  const now = (request.now ?? new Date()).getTime();
  const subject = [
    `CN=${escapeRdn(request.commonName)}`,
    ...(request.organizations ?? []).map((o) => `O=${escapeRdn(o)}`),
  ].join(', ');
  const names: x509.JsonGeneralName[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.certificate.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (request.validDays ?? 365) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(
        [
          request.usage === 'server'
            ? x509.ExtendedKeyUsage.serverAuth
            : x509.ExtendedKeyUsage.clientAuth,
        ],
        false,
      ),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false),
    ],
  });
  return { cert: certificate.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** The key pair kube-apiserver signs ServiceAccount tokens with (and verifies them). */
export function createServiceAccountKeys(): {
  readonly privateKey: string;
  readonly publicKey: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}
