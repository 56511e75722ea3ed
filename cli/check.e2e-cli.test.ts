import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * End to end: the `oos` binary (bin/oos.js) as a child process over the samples and the realistic
 * workloads of cli/testdata. Offline: no cluster.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-12-01T00:00:00Z';
const TIMEOUT = 30_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function oos(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/oos.js', ...args], { cwd: ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** `DENY  Deployment risk-ai/vllm  AnchorMissing: ...` → {`Deployment risk-ai/vllm`: `DENY AnchorMissing`}. */
function verdicts(stdout: string): Record<string, string> {
  const lines = stdout.trimEnd().split('\n');
  return Object.fromEntries(
    lines.map((line): [string, string] => {
      const match = /^(ALLOW|WARN|DENY) +(\S+ \S+) {2}(\w+): /.exec(line);
      const [, verdict, object, reason] = match ?? [];
      if (verdict === undefined || object === undefined || reason === undefined) {
        throw new Error(`not a result line: ${line}`);
      }
      return [object, `${verdict} ${reason}`];
    }),
  );
}

describe('oos check, end to end', () => {
  it(
    'gives the decisions a person would expect for the sample governance and realistic workloads',
    async () => {
      const { code, stdout, stderr } = await oos([
        'check',
        '-f',
        'cli/testdata/workloads',
        '--governance',
        'samples',
        '--now',
        NOW,
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(verdicts(stdout)).toEqual({
        'Namespace ml-sandbox': 'DENY NamespaceLabelGoverned',
        'Deployment risk-ai/fraud-scorer': 'ALLOW Anchored',
        'Job risk-ai/fraud-scoring-gpu-benchmark': 'DENY BoundaryViolation',
        'InferenceService risk-ai/fraud-explainer': 'DENY DelegationMissing',
        'Deployment risk-ai/invoice-triage': 'ALLOW Anchored',
        'RayJob ml-sandbox/nightly-retrain': 'WARN AnchorMissing',
        'Deployment risk-ai/support-agent': 'DENY AnchorMissing',
        'Deployment risk-ai/vllm': 'DENY AnchorMissing',
        'Deployment risk-ai/web': 'ALLOW NotAIWorkload',
        'ConfigMap risk-ai/web-config': 'ALLOW NotAIWorkload',
      });
      expect(stdout).toContain('model-provider credential OPENAI_API_KEY in container agent');
      expect(stdout).toContain(
        'capabilities of namespace risk-ai (fraud-scoring and invoice-triage)',
      );
    },
    TIMEOUT,
  );

  it(
    'admits the benchmark under an approved Exemption, and prints JSON',
    async () => {
      const { code, stdout } = await oos([
        'check',
        '-f',
        'cli/testdata/workloads/gpu-benchmark.yaml',
        '-g',
        'samples',
        '-g',
        'cli/testdata/governance',
        '--now',
        NOW,
        '-o',
        'json',
      ]);
      expect(code).toBe(0);
      const [result] = JSON.parse(stdout) as Record<string, unknown>[];
      expect(result).toMatchObject({
        kind: 'Job',
        apiVersion: 'batch/v1',
        namespace: 'risk-ai',
        name: 'fraud-scoring-gpu-benchmark',
        allowed: true,
        reason: 'Exempted',
        chain: {
          exemption: { namespace: 'risk-ai', name: 'fraud-scoring-gpu-benchmark-approved' },
        },
      });
      expect(result?.warnings).toHaveLength(1);
      expect(typeof result?.message).toBe('string');
    },
    TIMEOUT,
  );

  it(
    'checks governance objects with the authority rules, as the requester given by --as',
    async () => {
      const asCarol = await oos([
        'check',
        '-f',
        'samples/50-delegation.yaml',
        '-g',
        'samples',
        '--now',
        NOW,
        '--as',
        'carol',
      ]);
      expect(asCarol.code).toBe(1);
      expect(asCarol.stdout).toMatch(
        /^DENY {2}Delegation risk-ai\/fraud-scoring-fraud-scorer {2}NotRoleHolder: carol cannot grant/,
      );
      const asAlice = await oos([
        'check',
        '-f',
        'samples/50-delegation.yaml',
        '-g',
        'samples',
        '--now',
        NOW,
        '--as',
        'alice',
      ]);
      expect(asAlice.code).toBe(0);
      expect(asAlice.stdout).toMatch(
        /^ALLOW Delegation risk-ai\/fraud-scoring-fraud-scorer {2}Authorized: alice may grant/,
      );
    },
    TIMEOUT,
  );

  it(
    'checks the interactions of capabilities: forbidden edges and missing endpoints denied, one-sided edges warned',
    async () => {
      const args = [
        'check',
        '-f',
        'cli/testdata/interactions/capabilities.yaml',
        '-g',
        'samples/10-accountable-roles.yaml',
        '-g',
        'cli/testdata/interactions/policy.yaml',
        '--as',
        'gina',
        '--group',
        'governance-board',
        '--now',
        NOW,
      ];
      const { code, stdout, stderr } = await oos(args);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(verdicts(stdout)).toEqual({
        'Capability risk-ai/invoice-triage': 'ALLOW Authorized',
        'Capability risk-ai/fraud-scoring': 'WARN Authorized',
        'Capability risk-ai/payment-agent': 'DENY InteractionForbidden',
        'Capability risk-ai/month-end-report': 'WARN Authorized',
        'Capability risk-ai/ticket-summarizer': 'DENY InteractionForbidden',
        'Capability risk-ai/scraper': 'DENY EndpointNotFound',
      });
      expect(stdout).toContain(
        '(warning: WaitingForPeer: risk-ai/fraud-scoring accepts calls from risk-ai/month-end-report, which does not declare the call: waiting for a holder of AccountableRole accounts-payable-lead',
      );
      expect(stdout).toContain('PeerNotFound: no Capability risk-ai/ledger');
      expect(stdout).toContain(
        'forbiddenEdges rule autonomous-to-high: An autonomous agent never drives',
      );
      const json = await oos([...args, '-o', 'json']);
      expect(json.code).toBe(1);
      const results = JSON.parse(json.stdout) as { name: string; interactions: unknown[] }[];
      expect(results.find((result) => result.name === 'invoice-triage')?.interactions).toEqual([
        {
          direction: 'Calls',
          peer: 'risk-ai/fraud-scoring',
          state: 'Agreed',
          message: 'agreed by both sides on 8080/TCP',
          refusal: null,
        },
        {
          direction: 'Egress',
          peer: 'llm',
          state: 'Agreed',
          message: expect.stringContaining('198.51.100.0/24') as string,
          refusal: null,
        },
      ]);
      expect(results.find((result) => result.name === 'scraper')?.interactions).toMatchObject([
        {
          direction: 'Egress',
          peer: 'pastebin',
          state: 'PeerNotFound',
          refusal: 'EndpointNotFound',
        },
      ]);
    },
    TIMEOUT,
  );

  it(
    'reads standard input',
    async () => {
      const { code, stdout } = await oos(
        ['check', '-f', '-'],
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n',
      );
      expect(code).toBe(0);
      expect(stdout).toBe(
        'ALLOW Pod default/p  NotAIWorkload: Pod default/p is not an AI workload: no detection signal matched.\n',
      );
    },
    TIMEOUT,
  );

  it(
    'prints help that lists every option',
    async () => {
      const main = await oos(['--help']);
      expect(main).toMatchObject({ code: 0, stderr: '' });
      const help = await oos(['check', '--help']);
      expect(help.code).toBe(0);
      for (const option of [
        '--filename',
        '--governance',
        '--now',
        '--as',
        '--group',
        '--namespace-labels',
        '--operator-namespace',
        '--output',
        '--help',
      ]) {
        expect(help.stdout).toContain(option);
      }
    },
    TIMEOUT,
  );

  it.each([
    [
      ['-f', 'cli/testdata/invalid/malformed-yaml.txt'],
      /^oos: OOS_ERR_YAML: cli\/testdata\/invalid\/malformed-yaml\.txt:6:1: /,
    ],
    [
      ['-f', 'cli/testdata/workloads', '-g', 'cli/testdata/invalid/unknown-field.yaml'],
      /^oos: OOS_ERR_UNKNOWN_FIELD: cli\/testdata\/invalid\/unknown-field\.yaml:20:3: Capability risk-ai\/summarizer \(document 2\): unknown field spec\.maxReplica\n$/,
    ],
    [
      ['-f', 'cli/testdata/invalid/invalid-delegation.yaml'],
      /^oos: OOS_ERR_INVALID_OBJECT: cli\/testdata\/invalid\/invalid-delegation\.yaml:6:1: Delegation risk-ai\/no-end \(document 1\) is not a valid Delegation: spec\.validUntil: /,
    ],
    [
      ['-f', 'cli/testdata/missing.yaml'],
      /^oos: OOS_ERR_FILE_NOT_FOUND: cli\/testdata\/missing\.yaml: no such file or directory\n$/,
    ],
    [['-f', 'samples', '--now', 'tomorrow'], /^oos: OOS_ERR_USAGE: --now "tomorrow"/],
  ])(
    'exits 2 on bad input, with one clear line and no stack trace: %j',
    async (args, message) => {
      const { code, stdout, stderr } = await oos(['check', ...args]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    TIMEOUT,
  );
});
