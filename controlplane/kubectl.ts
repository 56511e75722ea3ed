import { execFile } from 'node:child_process';

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
 * Runs a kubectl binary against a kubeconfig, as a person would type it. Never throws on a
 * non-zero exit: the result carries the exit code and both streams.
 */
export function runKubectl(
  bin: string,
  kubeconfig: string,
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  const full = ['--kubeconfig', kubeconfig, ...args];
  if (options.as !== undefined) full.push('--as', options.as);
  for (const group of options.groups ?? []) full.push('--as-group', group);
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
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
