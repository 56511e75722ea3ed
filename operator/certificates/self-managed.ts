import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import {
  createCertificateAuthority,
  issueCertificate,
  loadCertificateAuthority,
  type CertificateAuthority,
} from '../../webhooks/tls/pki.js';
import { needsRenewal, renewalTime } from '../../webhooks/tls/rotation.js';
import type { TlsSource } from '../../webhooks/app.js';
import type { KubeRest } from '../kube/rest.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound } from '../kube/errors.js';

export interface SelfManagedTlsOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly namespace: string;
  readonly secretName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Called with the CA bundle (PEM) whenever it is first known or changes. */
  readonly onCaBundle: (caBundle: string) => Promise<void>;
  readonly clock?: () => Date;
  readonly caValidDays?: number;
  /** Lifetime of a serving certificate (default 365 days); renewed after two thirds of it. */
  readonly servingValidityMs?: number;
}

const DAY_MS = 86_400_000;
/** Never check sooner than this after a check, whatever the certificate says. */
const MIN_CHECK_MS = 1_000;

interface Material {
  readonly caCert: string;
  readonly caKey: string;
  readonly cert: string;
  readonly key: string;
}

interface Secret {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly data?: Readonly<Record<string, string>>;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

function stale(pem: string, now: Date): boolean {
  const cert = new X509Certificate(pem);
  return needsRenewal(new Date(cert.validFrom), new Date(cert.validTo), now);
}

function covers(pem: string, dnsNames: readonly string[], ips: readonly string[]): boolean {
  const cert = new X509Certificate(pem);
  return (
    dnsNames.every((d) => cert.checkHost(d) !== undefined) &&
    ips.every((ip) => cert.checkIP(ip) !== undefined)
  );
}

/**
 * The webhook's own CA and serving certificate, kept in a Secret so every replica serves the
 * same pair: created when missing, re-issued when two thirds of its lifetime have passed (the CA
 * too), and the CA bundle handed to `onCaBundle` to publish into the webhook configurations.
 * Every replica re-reads the Secret on each check, so a rotation by one reaches all without a
 * restart.
 */
export class SelfManagedTls implements TlsSource {
  private material: Material | undefined;
  private readonly listeners: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SelfManagedTlsOptions) {}

  current(): { key: string; cert: string } {
    if (!this.material)
      throw new Error('the serving certificate is not loaded yet: call ensure() first');
    return { key: this.material.key, cert: this.material.cert };
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Loads or creates the certificates, then checks them again every `checkMs` (to take what
   * another replica stored) and at the moment the serving certificate is due for renewal, so a
   * short-lived certificate is renewed on time.
   */
  async start(checkMs = 60 * 60 * 1000): Promise<void> {
    await this.ensure();
    this.schedule(checkMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The delay until the next check: `checkMs`, or sooner when the certificate is due sooner. */
  nextCheckIn(checkMs: number, now: Date): number {
    if (!this.material) return checkMs;
    const cert = new X509Certificate(this.material.cert);
    const due = renewalTime(new Date(cert.validFrom), new Date(cert.validTo)).getTime();
    // A second past the due time: validFrom/validTo have whole seconds.
    return Math.max(MIN_CHECK_MS, Math.min(checkMs, due - now.getTime() + 1_000));
  }

  private schedule(checkMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.ensure()
          .catch((error: unknown) => {
            this.options.logger.error(
              { err: error },
              'checking the serving certificate failed; retrying at the next check',
            );
          })
          .finally(() => {
            this.schedule(checkMs);
          });
      },
      this.nextCheckIn(checkMs, this.now()),
    );
    this.timer.unref();
  }

  private now(): Date {
    return (this.options.clock ?? ((): Date => new Date()))();
  }

  /** One check: read the Secret, renew what is due, publish what changed. Safe to race. */
  async ensure(): Promise<void> {
    const { rest, namespace, secretName } = this.options;
    const path = `/api/v1/namespaces/${namespace}/secrets/${secretName}`;
    const now = this.now();
    let secret: Secret | undefined;
    try {
      secret = await rest.request<Secret>('GET', path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const stored = secret?.data ? this.fromSecret(secret.data) : undefined;
    const next = await this.renew(stored, now);
    if (next !== stored) {
      const body = {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: {
          name: secretName,
          namespace,
          labels: { 'app.kubernetes.io/managed-by': 'oos' },
          ...(secret?.metadata?.resourceVersion
            ? { resourceVersion: secret.metadata.resourceVersion }
            : {}),
        },
        data: {
          'ca.crt': b64(next.caCert),
          'ca.key': b64(next.caKey),
          'tls.crt': b64(next.cert),
          'tls.key': b64(next.key),
        },
      };
      try {
        if (secret) await rest.request('PUT', path, { body });
        else await rest.request('POST', `/api/v1/namespaces/${namespace}/secrets`, { body });
        this.options.logger.info(
          { secret: `${namespace}/${secretName}` },
          'stored a new serving certificate',
        );
      } catch (error) {
        // Another replica wrote first: take what it stored.
        if (isAlreadyExists(error) || isConflict(error) || isInvalid(error)) {
          await this.ensure();
          return;
        }
        throw error;
      }
    }
    await this.use(next);
  }

  private fromSecret(data: Readonly<Record<string, string>>): Material | undefined {
    const material = {
      caCert: unb64(data['ca.crt']),
      caKey: unb64(data['ca.key']),
      cert: unb64(data['tls.crt']),
      key: unb64(data['tls.key']),
    };
    return Object.values(material).every((v) => v.includes('-----BEGIN')) ? material : undefined;
  }

  private async renew(stored: Material | undefined, now: Date): Promise<Material> {
    const { dnsNames, ipAddresses } = this.options;
    let ca: CertificateAuthority | undefined;
    if (stored && !stale(stored.caCert, now)) {
      ca = await loadCertificateAuthority(stored.caCert, stored.caKey);
      if (!stale(stored.cert, now) && covers(stored.cert, dnsNames, ipAddresses)) return stored;
    }
    ca ??= await createCertificateAuthority(
      'oos-webhook-ca',
      this.options.caValidDays ?? 3650,
      now,
    );
    const serving = await issueCertificate(ca, {
      commonName: dnsNames[0] ?? ipAddresses[0] ?? 'oos-webhook',
      dnsNames,
      ipAddresses,
      usage: 'server',
      validDays: (this.options.servingValidityMs ?? 365 * DAY_MS) / DAY_MS,
      now,
    });
    return { caCert: ca.cert, caKey: ca.key, cert: serving.cert, key: serving.key };
  }

  private async use(next: Material): Promise<void> {
    const previous = this.material;
    this.material = next;
    if (previous?.caCert !== next.caCert) await this.options.onCaBundle(next.caCert);
    if (previous && previous.cert !== next.cert) for (const listener of this.listeners) listener();
  }
}
