import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, loadConfig } from './config.js';

describe('operator configuration', () => {
  it('has safe defaults and is frozen', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      namespace: 'oos-system',
      port: 8443,
      tlsSecret: 'oos-webhook-tls',
      registerWebhooks: true,
      operatorUser: 'system:serviceaccount:oos-system:oos',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads flags and the environment', () => {
    const config = loadConfig(
      ['--port', '0', '--webhook-url', 'https://127.0.0.1:9443', '--no-register-webhooks'],
      { POD_NAMESPACE: 'governance', KUBECONFIG: '/k' },
    );
    expect(config).toMatchObject({
      namespace: 'governance',
      port: 0,
      kubeconfig: '/k',
      webhookUrl: 'https://127.0.0.1:9443',
      registerWebhooks: false,
    });
  });

  it.each([
    [['--port', 'x'], /--port/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--tls-cert-file', 'c.pem'], /go together/],
    [['--webhook-url', 'http://127.0.0.1:1'], /--webhook-url/],
    [['--namespace', 'Not_A_Name'], /--namespace: must be a DNS-1123 label/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(ConfigError);
    expect(() => loadConfig(argv, {})).toThrow(message);
  });

  it('documents every flag in --help', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
    for (const flag of HELP.matchAll(/--[a-z-]+/g)) expect(HELP).toContain(flag[0]);
    for (const flag of [
      '--kubeconfig',
      '--tls-cert-file',
      '--webhook-url',
      '--no-register-webhooks',
    ]) {
      expect(HELP).toContain(flag);
    }
  });
});
