import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeBinaries } from '../node/build.js';
import { imageCacheDir } from './cache.js';
import { goBuild, requireGo } from '../build.js';
import type { Log } from './run.js';
import { BUILDER_MODULE_DIR, builderVersions } from './versions.js';

/** The daemonless builder: BuildKit's daemon (run for one build only), its client, and runc. */
export interface Builder {
  readonly buildkitd: string;
  readonly buildctl: string;
  readonly runc: string;
  readonly buildkitVersion: string;
}

/**
 * Builds Go packages of the builder module into `dir` (once: a COMPLETE file marks it done),
 * through the Go module proxy and the Go build cache.
 */
async function buildOnce(
  dir: string,
  binaries: readonly string[],
  ldflags: string,
  packages: readonly string[],
  log: Log,
): Promise<void> {
  if (existsSync(join(dir, 'COMPLETE')) && binaries.every((b) => existsSync(join(dir, b)))) return;
  const goVersion = requireGo();
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(`oos image: building ${binaries.join(', ')} from source with ${goVersion} (once; cached)`);
  try {
    await goBuild(BUILDER_MODULE_DIR, staging, ldflags, packages, log, { rerun: 'npm run image' });
    writeFileSync(join(staging, 'COMPLETE'), `${goVersion}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`oos image: ${binaries.join(', ')} built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * The runc that BuildKit's OCI worker runs the Dockerfile's RUN steps with: the local node's
 * (controlplane/node/, built with seccomp, so BuildKit's default seccomp profile applies), one
 * pinned runc for both.
 */
export async function ensureRunc(log: Log): Promise<string> {
  return (await ensureNodeBinaries(log)).path('runc');
}

/** BuildKit's buildkitd and buildctl at the pinned version, and runc. */
export async function ensureBuilder(log: Log): Promise<Builder> {
  const versions = builderVersions();
  const dir = join(imageCacheDir(), `buildkit-${versions.buildkit}_${versions.fingerprint}`);
  const pkg = 'github.com/moby/buildkit';
  await buildOnce(
    dir,
    ['buildkitd', 'buildctl'],
    `-s -w -X ${pkg}/version.Version=${versions.buildkit} -X ${pkg}/version.Package=${pkg}`,
    [`${pkg}/cmd/buildkitd`, `${pkg}/cmd/buildctl`],
    log,
  );
  return {
    buildkitd: join(dir, 'buildkitd'),
    buildctl: join(dir, 'buildctl'),
    runc: await ensureRunc(log),
    buildkitVersion: versions.buildkit,
  };
}
