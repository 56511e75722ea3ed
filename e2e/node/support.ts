import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { nodeNetworkExists } from '../../controlplane/node/network.js';
import { nodeUnsupportedReason } from '../../controlplane/node/preflight.js';

/**
 * Why the local node cannot run here, or undefined: it needs root, Linux, the Debian programs of
 * scripts/install-test-deps.sh and Go to build; and one node per machine (never disturb one a
 * person started: its `cluster:down` is theirs). Printed, so a skipped file says why.
 */
export function nodeSkipReason(file: string): string | undefined {
  const reason =
    nodeUnsupportedReason() ??
    (spawnSync('go', ['version']).status === 0 ? undefined : 'no Go') ??
    (nodeNetworkExists() ? 'a local node already runs on this machine' : undefined);
  if (reason) process.stderr.write(`${file} skipped: ${reason}\n`);
  return reason;
}

export const REPO = resolve(import.meta.dirname, '../..');

/** `npm run cluster:<script> -- <args>` as a user types it, on the cluster directory given. */
export function cluster(
  clusterDir: string,
  script: string,
  ...args: string[]
): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', `cluster:${script}`, ...(args.length > 0 ? ['--', ...args] : [])],
      {
        cwd: REPO,
        env: { ...process.env, OOS_CLUSTER_DIR: clusterDir },
        timeout: 1_800_000,
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}
