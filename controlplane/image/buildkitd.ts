import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Builder } from './builder.js';
import { ControlPlaneError } from '../errors.js';
import type { Log } from './run.js';

/** A buildkitd that lives for one build: its socket, and how to stop it leaving nothing behind. */
export interface RunningBuildkitd {
  readonly address: string;
  readonly log: string;
  stop(): Promise<void>;
}

/** Mount points below `dir` (deepest first), from /proc/self/mountinfo. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return Promise.race([
    new Promise<boolean>((resolve) =>
      child.once('exit', () => {
        resolve(true);
      }),
    ),
    sleep(ms).then(() => false),
  ]);
}

/**
 * Starts buildkitd with the OCI worker (runc), the overlayfs snapshotter, host networking for
 * RUN steps and its state in `stateDir` (kept between builds: BuildKit's cache), on a socket in
 * a new temporary directory; resolves once it answers.
 */
export async function startBuildkitd(
  builder: Builder,
  stateDir: string,
  log: Log,
): Promise<RunningBuildkitd> {
  mkdirSync(stateDir, { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'oos-buildkitd-'));
  const address = `unix://${join(runDir, 'buildkitd.sock')}`;
  const logFile = join(stateDir, 'buildkitd.log');
  const out = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(
    builder.buildkitd,
    [
      '--root',
      stateDir,
      '--addr',
      address,
      '--containerd-worker=false',
      '--oci-worker=true',
      `--oci-worker-binary=${builder.runc}`,
      '--oci-worker-snapshotter=overlayfs',
      '--oci-worker-net=host',
      '--oci-worker-gc=true',
      // Garbage collection: keep at least 2 GB of cache, never more than 6 GB (MB units).
      '--oci-worker-gc-keepstorage=2048,0,6144',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (e) => {
      reject(new ControlPlaneError('OOS_ERR_IMAGE_BUILD', e.message));
    });
    child.once('exit', (code) => {
      reject(
        new ControlPlaneError(
          'OOS_ERR_IMAGE_BUILD',
          `buildkitd exited (${String(code)}) at start-up:\n${tail(logFile)}\n` +
            'It needs root, overlayfs and cgroups; the whole log is in ' +
            logFile,
        ),
      );
    });
  });
  failed.catch(() => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await exited(child, 20_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    }
    // A buildkitd stopped mid-build may leave its snapshot mounts: take them down.
    for (const point of mountsUnder(stateDir)) spawnSync('umount', ['-l', point]);
    rmSync(runDir, { recursive: true, force: true });
    out.end();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = spawnSync(builder.buildctl, ['--addr', address, 'debug', 'workers'], {
      encoding: 'utf8',
      timeout: 5_000,
    });
    if (probe.status === 0 && probe.stdout.split('\n').length > 1) break;
    if (Date.now() > deadline) {
      await stop();
      throw new ControlPlaneError(
        'OOS_ERR_IMAGE_BUILD',
        `buildkitd did not answer within 60 s:\n${tail(logFile)}`,
      );
    }
    await Promise.race([sleep(250), failed]).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
  }
  log(`oos image: buildkitd ${builder.buildkitVersion} ready (${address})`);
  return { address, log: logFile, stop };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
