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
      bodyLimit: 6_553_600,
      maxBodyDepth: 128,
    });
    // Asked of the apiserver at start (a SelfSubjectReview) unless --operator-user says.
    expect(config).not.toHaveProperty('operatorUser', expect.anything());
    expect(loadConfig(['--operator-user', 'robot'], {})).toMatchObject({ operatorUser: 'robot' });
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
    expect(loadConfig(['--max-body-depth', '64'], {})).toMatchObject({ maxBodyDepth: 64 });
  });

  it('runs the controller under leader election, auditing every minute, with no receivers', () => {
    expect(loadConfig([], {})).toMatchObject({
      leaderElect: true,
      leaseName: 'oos-controller',
      auditInterval: 60_000,
      alertmanagerUrl: undefined,
      escalationWebhookUrl: undefined,
      reports: false,
    });
  });

  it('reads the controller flags', () => {
    const config = loadConfig(
      [
        '--no-leader-elect',
        '--lease-name',
        'oos-lead',
        '--audit-interval',
        '5m',
        '--alertmanager-url',
        'http://127.0.0.1:9093',
        '--escalation-webhook-url',
        'https://hooks.example.com/oos',
        '--reports',
      ],
      {},
    );
    expect(config).toMatchObject({
      leaderElect: false,
      leaseName: 'oos-lead',
      auditInterval: 300_000,
      alertmanagerUrl: 'http://127.0.0.1:9093',
      escalationWebhookUrl: 'https://hooks.example.com/oos',
      reports: true,
    });
  });

  it.each([
    [['--port', 'x'], /--port/],
    [['--audit-interval', '60'], /--audit-interval: must be a duration such as 60s or 5m/],
    [['--audit-interval', '0s'], /--audit-interval: must be at least 1s/],
    [['--alertmanager-url', 'ftp://x'], /--alertmanager-url/],
    [['--lease-name', 'Bad_Name'], /--lease-name: must be a DNS-1123 subdomain/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--tls-cert-file', 'c.pem'], /go together/],
    [['--webhook-url', 'http://127.0.0.1:1'], /--webhook-url/],
    [['--namespace', 'Not_A_Name'], /--namespace: must be a DNS-1123 label/],
    [['--max-body-depth', '8'], /--max-body-depth/],
    [['--max-body-depth', '5000'], /--max-body-depth/],
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
      '--no-leader-elect',
      '--audit-interval',
      '--alertmanager-url',
      '--escalation-webhook-url',
      '--lease-name',
      '--body-limit',
      '--max-body-depth',
    ]) {
      expect(HELP).toContain(flag);
    }
  });
});
