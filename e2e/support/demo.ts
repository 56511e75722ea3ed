import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { waitFor } from './wait.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run demo -- <args>` from the repository, as a person types it. */
export function runDemo(args: readonly string[], timeoutMs: number): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'demo', '--', ...args],
      { cwd: REPO, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: typeof error?.code === 'number' ? error.code : error ? 1 : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** The text of chapter `n` of the story. */
export function chapter(stdout: string, n: number): string {
  const start = stdout.indexOf(`━━ ${n}.`);
  const end = stdout.indexOf('━━ ', start + 3);
  return stdout.slice(start, end === -1 ? undefined : end);
}

/** What every stage of the demo shows: the story told, whoever runs oos and the Pods. */
export function expectStoryTold({ code, stdout, stderr }: DemoRun): void {
  expect(stderr).not.toContain('oos demo:');
  expect(code).toBe(0);
  // 1. the organisation, with the delegation stamped by the human who granted it
  expect(stdout).toContain('grantedBy=alice');
  expect(stdout).toMatch(
    /capability\.oos\.dev\/fraud-scoring\s+credit-risk-officer\s+Supervised\s+High/,
  );
  // 2. refused, by oos, with the reason
  expect(chapter(stdout, 2)).toMatch(/denied (the )?request.*AnchorMissing/);
  // 3. anchored and admitted
  expect(stdout).toContain('deployment.apps/fraud-scorer created');
  // 4. a machine cannot grant itself execution (oos refuses, not RBAC)
  expect(chapter(stdout, 4)).toContain('admission webhook "governance.oos.dev" denied the request');
  // 5. the agreed edge recorded; the other side's consent cannot be given by the caller's role
  expect(chapter(stdout, 5)).toMatch(
    /fraud-scoring\s+AcceptsFrom\s+risk-ai\/invoice-triage\s+Agreed/,
  );
  expect(chapter(stdout, 5)).toMatch(
    /invoice-triage\s+Calls,Egress\s+risk-ai\/fraud-scoring,ocr\s+Agreed,Agreed/,
  );
  expect(chapter(stdout, 5)).toContain('admission webhook "governance.oos.dev" denied the request');
  // 6. the delegation expires; escalations and events
  expect(stdout).toMatch(/delegation-expired-fraud-scoring-batch-scorer-\S+\s+DelegationExpired/);
  expect(stdout).toContain('EscalationOpened');
  // 7. the stop button scaled the workload to zero and remembered 2
  expect(stdout).toMatch(/fraud-scorer\s+0\s+2/);
  expect(stdout).toContain('suspendedBy=alice');
}

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

/** The demo stopped what it started: its directory is gone, and no process mentions it. */
export async function expectNothingLeft(stdout: string): Promise<void> {
  expect(stdout).toContain('Stopped; nothing is left running.');
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(stdout)?.[1] ?? '';
  expect(kubeconfig).not.toBe('');
  const dir = dirname(kubeconfig);
  expect(existsSync(dir)).toBe(false);
  // A reaper notices the directory is gone within half a second and exits too.
  const leftovers = await waitFor(
    'the demo processes to be gone',
    () => Promise.resolve(processesMentioning(dir).length === 0 ? [] : undefined),
    { timeoutMs: 5_000 },
  ).catch(() => processesMentioning(dir));
  expect(leftovers).toEqual([]);
}
