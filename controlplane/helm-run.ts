import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  /** helm's stderr, or why it could not run (not found, killed at the timeout). */
  readonly stderr: string;
}

/**
 * Runs the control plane's helm with a state directory of its own, removed afterwards: the chart
 * is local, so no repository configuration is needed, and the user's is neither read nor changed.
 * Never throws: a helm that could not run answers code 1 with the reason. `timeoutMs` 0: no timer
 * (helm's own `--timeout` ends a `--wait`).
 */
export function runHelm(
  binary: string,
  args: readonly string[],
  { kubeconfig, timeoutMs = 120_000 }: { kubeconfig?: string; timeoutMs?: number } = {},
): Promise<HelmResult> {
  const home = mkdtempSync(join(tmpdir(), 'oos-helm-'));
  return new Promise<HelmResult>((done) => {
    execFile(
      binary,
      kubeconfig === undefined ? [...args] : [...args, '--kubeconfig', kubeconfig],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        timeout: timeoutMs,
        env: {
          ...process.env,
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_DATA_HOME: join(home, 'data'),
        },
      },
      (error, stdout, stderr) => {
        const ran = error === null || typeof error.code === 'number';
        done({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr: ran ? stderr : `helm could not run: ${error.message}\n${stderr}`,
        });
      },
    );
  }).finally(() => {
    rmSync(home, { recursive: true, force: true });
  });
}
