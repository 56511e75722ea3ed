import { describe, expect, it } from 'vitest';
import { CHECK_OPTIONS, COMMANDS, main, type CliIo } from './main.js';

const NOW = '2026-12-01T00:00:00Z';

function fakeIo(stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readStdin: () => Promise.resolve(stdin),
    clock: () => new Date(NOW),
    out: () => out,
    err: () => err,
  };
}

async function run(args: string[], stdin?: string) {
  const io = fakeIo(stdin);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const AGENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: risk-ai}
spec:
  template:
    spec:
      containers: [{name: a, image: python:3.12, env: [{name: ANTHROPIC_API_KEY}]}]
`;

describe('oos', () => {
  it('prints its help', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { code, out } = await run([flag]);
      expect(code).toBe(0);
      expect(out).toContain('oos <command> --help');
      for (const name of Object.keys(COMMANDS)) expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it.each(Object.entries(COMMANDS))(
    'prints the help of %s with every option',
    async (name, command) => {
      const { code, out } = await run([name, '--help']);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^  oos ${name}`, 'm'));
      for (const [option, definition] of Object.entries(command.options)) {
        expect(out).toContain(`--${option}`);
        if (definition.short !== undefined)
          expect(out).toContain(`-${definition.short}, --${option}`);
      }
    },
    // The first cluster command loads the Kubernetes client: slow on a busy machine.
    60_000,
  );

  it('prints its help to stderr and exits 2 without a command', async () => {
    expect(await run([])).toMatchObject({ code: 2, out: '' });
  });

  it('refuses an unknown command', async () => {
    expect(await run(['deploy'])).toMatchObject({
      code: 2,
      err: 'oos: OOS_ERR_USAGE: unknown command "deploy"; run "oos --help" for the commands\n',
    });
  });
});

describe('oos check', () => {
  it('lists every option in its help', async () => {
    const { code, out } = await run(['check', '--help']);
    expect(code).toBe(0);
    for (const [name, option] of Object.entries(CHECK_OPTIONS)) {
      expect(out).toContain(`--${name}`);
      if ('short' in option) expect(out).toContain(`-${option.short}, --${name}`);
    }
  });

  it.each([
    [['check'], '-f <file|dir|-> is required'],
    [['check', '-f', 'x', '--bogus'], "Unknown option '--bogus'"],
    [['check', '-f', 'x', 'extra'], 'Unexpected argument'],
    [['check', '-f', 'x', '--output', 'yaml'], '--output "yaml": expected text or json'],
    [['check', '-f', 'x', '--now', 'yesterday'], '--now "yesterday": expected an RFC 3339 time'],
    [['check', '-f', 'x', '--now', '2026-13-45T00:00:00Z'], 'expected an RFC 3339 time'],
    [['check', '-f', 'x', '--as', ''], '--as needs a username'],
    [['check', '-f', 'x', '--namespace-labels', 'ml'], 'expected namespace=key=value'],
  ])('refuses bad usage: %j', async (args, message) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^oos: OOS_ERR_USAGE: /);
    expect(err).toContain(message);
  });

  it('exits 1 when an object is denied, 0 when all are allowed', async () => {
    expect(await run(['check', '-f', '-', '--now', NOW], AGENT)).toMatchObject({
      code: 1,
      out: expect.stringMatching(
        /^DENY {2}Deployment risk-ai\/agent {2}AnchorMissing: /,
      ) as unknown,
    });
    const sandbox = await run(
      [
        'check',
        '-f',
        '-',
        '--now',
        NOW,
        '--namespace-labels',
        'risk-ai=environment=sandbox',
        '-g',
        'samples',
      ],
      AGENT,
    );
    expect(sandbox).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^WARN {2}Deployment risk-ai\/agent {2}AnchorMissing: /,
      ) as unknown,
    });
  });

  it('resolves DRA claims from the manifests, and fails closed on the ones they lack', async () => {
    const claimed = (claim: string) => `apiVersion: v1
kind: Pod
metadata: {name: trainer, namespace: ml}
spec:
  containers: [{name: a, image: busybox}]
  resourceClaims: [{name: dev, resourceClaimName: ${claim}}]
`;
    const claims = `apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: gpu, namespace: ml}
spec: {devices: {requests: [{name: g, exactly: {deviceClassName: gpu.nvidia.com}}]}}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: nic, namespace: ml}
spec: {devices: {requests: [{name: n, exactly: {deviceClassName: sriov}}]}}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: sriov}
spec: {selectors: [{cel: {expression: 'device.driver == "sriov.example.com"'}}]}
`;
    const judge = (claim: string) =>
      run(['check', '-f', '-', '--now', NOW, '-o', 'json'], `${claims}---\n${claimed(claim)}`);
    const reasonOf = async (claim: string) => {
      const { out } = await judge(claim);
      const results = JSON.parse(out) as { kind: string; reason: string; detection: string[] }[];
      return results.find((r) => r.kind === 'Pod');
    };
    expect(await reasonOf('gpu')).toMatchObject({
      reason: 'AnchorMissing',
      detection: [
        'accelerator through pod claim dev (ResourceClaim ml/gpu) requests DeviceClass gpu.nvidia.com (matches *gpu*)',
      ],
    });
    expect((await reasonOf('nic'))?.reason).toBe('NotAIWorkload');
    expect((await reasonOf('elsewhere'))?.detection).toEqual([
      'accelerator through pod claim dev names ResourceClaim ml/elsewhere, which is not found: oos cannot tell which devices it requests',
    ]);
  });

  it('acts as --as and --group', async () => {
    const delegation = ['check', '-f', 'samples/50-delegation.yaml', '-g', 'samples', '--now', NOW];
    expect((await run([...delegation, '--as', 'alice'])).code).toBe(0);
    expect((await run([...delegation, '--as', 'carol'])).out).toMatch(/NotRoleHolder/);
    const capability = [
      'check',
      '-f',
      'samples/40-capabilities.yaml',
      '-g',
      'samples',
      '--now',
      NOW,
      '--as',
      'gina',
    ];
    expect((await run(capability)).code).toBe(1);
    expect((await run([...capability, '--group', 'governance-board'])).code).toBe(0);
  });

  it('uses the clock when --now is absent', async () => {
    const io = { ...fakeIo(AGENT), clock: () => new Date('2030-01-01T00:00:00Z') };
    expect(await main(['check', '-f', '-', '-g', 'samples', '-o', 'json'], io)).toBe(1);
  });

  it('reports unreadable input with exit code 2, in one line, without a stack', async () => {
    const { code, err } = await run(['check', '-f', '-'], 'kind: [');
    expect(code).toBe(2);
    expect(err).toMatch(/^oos: OOS_ERR_YAML: -:1:\d+: [^\n]+\n$/);
  });
});
