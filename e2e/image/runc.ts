import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageConfig } from './oci-archive.js';

interface RuntimeSpec {
  process: {
    terminal: boolean;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities?: Record<string, string[]>;
    noNewPrivileges?: boolean;
  };
  root: { path: string; readonly: boolean };
  mounts: { destination: string; type: string; source: string; options?: string[] }[];
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `args` in the unpacked root filesystem with runc, as the chart runs the operator: the
 * image's user, environment and working directory, a read-only root filesystem with a tmpfs on
 * /tmp, every capability dropped, no new privileges.
 */
export function runInImage(
  runc: string,
  bundle: string,
  image: ImageConfig,
  args: readonly string[],
): RunResult {
  const state = join(bundle, 'runc-state');
  const specFile = join(bundle, 'config.json');
  rmSync(specFile, { force: true });
  execFileSync(runc, ['spec', '--bundle', bundle]);
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as RuntimeSpec;
  const [uid = 'x', gid = uid] = (image.config.User ?? '0').split(':');
  spec.process.terminal = false;
  spec.process.user = { uid: Number(uid), gid: Number(gid) };
  spec.process.args = [...args];
  spec.process.env = image.config.Env ?? [];
  spec.process.cwd = image.config.WorkingDir ?? '/';
  spec.process.capabilities = { bounding: [], effective: [], permitted: [] };
  spec.process.noNewPrivileges = true;
  spec.root = { path: 'rootfs', readonly: true };
  spec.mounts.push({
    destination: '/tmp',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'nodev', 'size=16m'],
  });
  writeFileSync(specFile, JSON.stringify(spec));
  const id = `oos-image-e2e-${randomBytes(4).toString('hex')}`;
  try {
    const result = spawnSync(runc, ['--root', state, 'run', '--bundle', bundle, id], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    spawnSync(runc, ['--root', state, 'delete', '--force', id]);
    rmSync(state, { recursive: true, force: true });
  }
}
