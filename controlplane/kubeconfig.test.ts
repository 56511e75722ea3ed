import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfig.js';

describe('renderKubeconfig', () => {
  it('inlines the CA and client credentials and selects its context', () => {
    const config = parse(
      renderKubeconfig({
        server: 'https://127.0.0.1:6443',
        caCert: 'CA',
        clientCert: 'CERT',
        clientKey: 'KEY',
      }),
    ) as {
      'current-context': string;
      clusters: { name: string; cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
      contexts: { name: string }[];
    };
    expect(config['current-context']).toBe('oos-local');
    expect(config.contexts[0]?.name).toBe('oos-local');
    expect(config.clusters[0]?.cluster.server).toBe('https://127.0.0.1:6443');
    const decode = (v: string | undefined): string => Buffer.from(v ?? '', 'base64').toString();
    expect(decode(config.clusters[0]?.cluster['certificate-authority-data'])).toBe('CA');
    expect(decode(config.users[0]?.user['client-certificate-data'])).toBe('CERT');
    expect(decode(config.users[0]?.user['client-key-data'])).toBe('KEY');
  });
});
