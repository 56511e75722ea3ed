import { execFile } from 'node:child_process';
import { inject } from 'vitest';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's standard input (use with `-f -`). */
  readonly stdin?: string;
  /** Impersonate this user (`--as`), e.g. `alice` or `system:serviceaccount:ml:bot`. */
  readonly as?: string;
  /** Impersonate these groups (`--as-group`). */
  readonly groups?: readonly string[];
}

/**
 * Runs the kubectl built with the control plane against the e2e control plane, as a person would
 * type it. Never throws on a non-zero exit: the result carries the exit code and both streams.
 */
export function kubectl(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  const full = ['--kubeconfig', inject('kubeconfig'), ...args];
  if (options.as !== undefined) full.push('--as', options.as);
  for (const group of options.groups ?? []) full.push('--as-group', group);
  return new Promise((resolve, reject) => {
    const child = execFile(
      inject('kubectl'),
      full,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`kubectl could not run: ${error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** Like {@link kubectl}, but fails the test with kubectl's own words when the exit code is not 0. */
export async function kubectlOk(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** `kubectl get -o json`, parsed. */
export async function getJson<T = Record<string, unknown>>(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<T> {
  return JSON.parse(await kubectlOk(['get', ...args, '-o', 'json'], options)) as T;
}
