import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Command lines of every process still running that mentions `text`. */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return cmdline.includes(text) ? [cmdline] : [];
      } catch {
        return [];
      }
    });
}

describe('npm run demo', () => {
  it('tells the whole story on its own control plane, then stops everything', async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        'npm',
        ['run', '-s', 'demo', '--', '--exit-after-story'],
        { cwd: REPO, encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) => {
          resolve({
            code: typeof error?.code === 'number' ? error.code : error ? 1 : 0,
            stdout: out,
            stderr: err,
          });
        },
      );
    });
    expect(stderr).not.toContain('oos demo:');
    expect(code).toBe(0);

    // 1. the organisation, with the delegation stamped by the human who granted it
    expect(stdout).toContain('grantedBy=alice');
    expect(stdout).toMatch(
      /capability\.oos\.dev\/fraud-scoring\s+credit-risk-officer\s+Supervised\s+High/,
    );
    // 2. refused, by oos, with the reason and how to fix it
    expect(stdout).toMatch(
      /denied the request: AnchorMissing: Deployment risk-ai\/vllm is an AI workload/,
    );
    // 3. anchored and admitted, its Pods created
    expect(stdout).toContain('deployment.apps/fraud-scorer created');
    expect(stdout).toMatch(/fraud-scorer-\S+\s+0\/1\s+Pending/);
    // 4. a machine cannot grant itself execution (oos refuses, not RBAC)
    const chapter4 = stdout.slice(stdout.indexOf('━━ 4.'), stdout.indexOf('━━ 5.'));
    expect(chapter4).toContain('admission webhook "governance.oos.dev" denied the request');
    // 5. the delegation expires; escalations and events
    expect(stdout).toMatch(/delegation-expired-fraud-scoring-batch-scorer-\S+\s+DelegationExpired/);
    expect(stdout).toContain('EscalationOpened');
    // 6. the stop button scaled the workload to zero and remembered 2
    expect(stdout).toMatch(/fraud-scorer\s+0\s+2/);
    expect(stdout).toContain('suspendedBy=alice');

    // It stopped everything it started.
    expect(stdout).toContain('Stopped; nothing is left running.');
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(stdout)?.[1] ?? '';
    expect(kubeconfig).not.toBe('');
    const dir = dirname(kubeconfig);
    expect(existsSync(dir)).toBe(false);
    // The reaper notices the directory is gone within half a second and exits too.
    const leftovers = await waitFor(
      'the demo processes to be gone',
      () => Promise.resolve(processesMentioning(dir).length === 0 ? [] : undefined),
      { timeoutMs: 5_000 },
    ).catch(() => processesMentioning(dir));
    expect(leftovers).toEqual([]);
  }, 300_000);
});
