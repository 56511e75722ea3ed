import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, loadConfig } from './config.js';

describe('operator configuration', () => {
  it('has safe defaults and is frozen', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      namespace: 'oos-system',
      port: 8443,
      tlsSecret: 'oos-webhook-tls',
      servingCertValidity: 365 * 86_400_000,
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
      leaseDuration: 10_000,
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
    expect(loadConfig(['-h'], {})).toBe('help');
    for (const flag of HELP.matchAll(/--[a-z-]+/g)) expect(HELP).toContain(flag[0]);
  });

  // --help lists every option with its argument and its default as it did before the options
  // became one table; each entry here is an option as a person reads it in --help.
  const entries: [synopsis: string, stated: string | undefined][] = [
    ['--kubeconfig <file>', '$KUBECONFIG, ~/.kube/config, in-cluster'],
    ['--namespace <ns>', '$POD_NAMESPACE or oos-system'],
    ['--host <address>', '0.0.0.0'],
    ['--port <n>', '8443'],
    ['--tls-cert-file <file>', undefined],
    ['--tls-key-file <file>', undefined],
    ['--tls-secret <name>', 'oos-webhook-tls'],
    ['--serving-cert-validity <dur>', '365d'],
    ['--service-name <name>', 'oos-webhook'],
    ['--webhook-url <url>', undefined],
    ['--ca-bundle-file <file>', "none, for when cert-manager's CA injector publishes it"],
    ['--no-register-webhooks', undefined],
    ['--webhook-name <name>', 'oos'],
    ['--operator-user <user>', 'asked of the apiserver at start with a SelfSubjectReview'],
    ['--body-limit <bytes>', '6553600'],
    ['--max-body-depth <n>', '128'],
    ['--max-governance-staleness <dur>', '30s'],
    ['--stale-governance <action>', 'warn'],
    ['--no-leader-elect', undefined],
    ['--lease-name <name>', 'oos-controller'],
    ['--lease-duration <dur>', '10s'],
    ['--audit-interval <dur>', '60s'],
    ['--alertmanager-url <url>', undefined],
    ['--escalation-webhook-url <url>', undefined],
    ['--reports', undefined],
    ['--controller-heap <mib>', '0'],
    ['--controller-nice <steps>', '10'],
    ['--log-level <level>', 'info'],
    ['-h, --help', undefined],
  ];

  /** The entry of --help that starts with `synopsis`, its wrapped lines joined. */
  function entryOf(synopsis: string): string {
    const lines = HELP.split('\n');
    const start = lines.findIndex(
      (line) => line.startsWith(`  ${synopsis} `) || line === `  ${synopsis}`,
    );
    expect(start, synopsis).toBeGreaterThan(0);
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((line) => !line.startsWith(' '.repeat(29)));
    return [lines[start], ...rest.slice(0, end)].map((line) => line?.trim()).join(' ');
  }

  it('lists the options of --help in order, each with its argument and default, within 97 columns', () => {
    const listed = [...HELP.matchAll(/^ {2}(-h, --help|--[a-z-]+(?: <[a-z]+>)?)/gm)].map(
      (m) => m[1],
    );
    expect(listed).toEqual(entries.map(([synopsis]) => synopsis));
    for (const [synopsis, stated] of entries) {
      const entry = entryOf(synopsis);
      if (stated === undefined) expect(entry, synopsis).not.toContain('(default:');
      else expect(entry, synopsis).toContain(`(default: ${stated})`);
    }
    for (const line of HELP.split('\n')) expect(line.length, line).toBeLessThanOrEqual(97);
  });

  it('accepts every option --help lists, and its stated default is the parsed one', () => {
    const defaults = loadConfig([], {});
    if (defaults === 'help') throw new Error('no --help given');
    const samples: Record<string, string> = {
      '<file>': '/tmp/x',
      '<ns>': 'ns',
      '<address>': '127.0.0.1',
      '<n>': '64',
      '<name>': 'name',
      '<url>': 'https://127.0.0.1:9443',
      '<user>': 'robot',
      '<bytes>': '2048',
      '<dur>': '5m',
      '<level>': 'debug',
      '<action>': 'deny',
      '<steps>': '5',
    };
    for (const [synopsis] of entries) {
      if (synopsis === '-h, --help') continue;
      const [flag = '', arg] = synopsis.split(' ');
      const argv = arg === undefined ? [flag] : [flag, samples[arg] ?? ''];
      // the TLS pair goes together
      if (flag === '--tls-cert-file') argv.push('--tls-key-file', '/tmp/k');
      if (flag === '--tls-key-file') argv.push('--tls-cert-file', '/tmp/c');
      expect(() => loadConfig(argv, {}), synopsis).not.toThrow();
    }
    expect(defaults).toMatchObject({
      namespace: 'oos-system',
      host: '0.0.0.0',
      port: 8443,
      tlsSecret: 'oos-webhook-tls',
      servingCertValidity: 365 * 86_400_000,
      serviceName: 'oos-webhook',
      registerWebhooks: true,
      webhookName: 'oos',
      bodyLimit: 6_553_600,
      maxBodyDepth: 128,
      leaderElect: true,
      leaseName: 'oos-controller',
      leaseDuration: 10_000,
      auditInterval: 60_000,
      maxGovernanceStaleness: 30_000,
      staleGovernance: 'warn',
      controllerHeap: 0,
      controllerNice: 10,
      logLevel: 'info',
    });
    expect(loadConfig([], { KUBECONFIG: '/k', POD_NAMESPACE: 'gov' })).toMatchObject({
      kubeconfig: '/k',
      namespace: 'gov',
    });
    // A flag wins over its environment variable.
    expect(loadConfig(['--namespace', 'flag'], { POD_NAMESPACE: 'gov' })).toMatchObject({
      namespace: 'flag',
    });
  });
});
