import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureBaseImage } from './base.js';
import { ensureBuilder } from './builder.js';
import { startBuildkitd } from './buildkitd.js';
import { contentKey, imageCacheDir, pruneOldest } from './cache.js';
import { contextSources } from './dockerfile.js';
import { requireArchitecture, requireRoot } from './host.js';
import { run, type Log } from './run.js';
import { builderVersions, REPO_ROOT } from './versions.js';

/** The repository name of the image in the archive; the tag is the content key. */
export const IMAGE_REPOSITORY = 'oos.local/oos';

export interface BuiltImage {
  /** An OCI image archive (`ctr images import` takes it). */
  readonly archive: string;
  /** `oos.local/oos:<key>` */
  readonly tag: string;
  readonly sizeBytes: number;
  /** True when the archive was already in the cache and nothing was built. */
  readonly cached: boolean;
  readonly seconds: number;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/**
 * Hashes what decides the image: the Dockerfile, .dockerignore, every file below the Dockerfile's
 * COPY sources (path and content), the base image and the builder's versions.
 */
export function inputsKey(baseDigest: string): string {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const hash = createHash('sha256').update(dockerfile);
  const ignore = join(REPO_ROOT, '.dockerignore');
  if (existsSync(ignore)) hash.update(readFileSync(ignore));
  for (const source of contextSources(dockerfile)) {
    for (const file of filesUnder(join(REPO_ROOT, source))) {
      hash.update(`\0${relative(REPO_ROOT, file)}\0`).update(readFileSync(file));
    }
  }
  const inputs = { files: hash.digest('hex'), baseDigest, builder: builderVersions() };
  return contentKey(inputs, ['build.ts', 'buildkitd.ts']);
}

function npmConfig(key: string): string | undefined {
  const probe = spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' });
  const value = probe.status === 0 ? probe.stdout.trim() : '';
  return value && value !== 'null' && value !== 'undefined' ? value : undefined;
}

/**
 * How `npm ci` in the build reaches the registry the host's npm uses: that registry, and the CA
 * certificates the host's npm trusts (its `cafile`, else NODE_EXTRA_CA_CERTS) as the secret
 * `npm-ca`, for networks whose proxy re-signs TLS.
 */
function npmArgs(): string[] {
  const registry = npmConfig('registry');
  const ca = [npmConfig('cafile'), process.env.NODE_EXTRA_CA_CERTS].find(
    (file) => file !== undefined && file !== '' && existsSync(file),
  );
  return [
    ...(registry ? ['--opt', `build-arg:NPM_CONFIG_REGISTRY=${registry}`] : []),
    ...(ca ? ['--secret', `id=npm-ca,src=${ca}`] : []),
  ];
}

/** How many image archives (of older inputs too) the cache keeps. */
const ARCHIVES_KEPT = 3;

function archiveSize(archive: string): number {
  return statSync(archive).size;
}

/**
 * Builds the repository's Dockerfile into an OCI image archive with BuildKit and no registry and
 * no Docker daemon, or returns the archive already built from the same inputs.
 */
export async function buildImage(log: Log): Promise<BuiltImage> {
  const started = Date.now();
  requireArchitecture();
  const base = await ensureBaseImage(log);
  const key = inputsKey(base.digest);
  const tag = `${IMAGE_REPOSITORY}:${key}`;
  const archive = join(imageCacheDir(), `oos-${key}.tar`);
  const seconds = (): number => Math.round((Date.now() - started) / 100) / 10;
  if (existsSync(archive)) {
    return { archive, tag, sizeBytes: archiveSize(archive), cached: true, seconds: seconds() };
  }
  requireRoot();
  const builder = await ensureBuilder(log);
  const buildkitd = await startBuildkitd(builder, join(imageCacheDir(), 'buildkit-state'), log);
  const partial = `${archive}.partial-${process.pid}`;
  try {
    await run(
      builder.buildctl,
      [
        '--addr',
        buildkitd.address,
        'build',
        '--progress=plain',
        '--frontend=dockerfile.v0',
        '--local',
        `context=${REPO_ROOT}`,
        '--local',
        `dockerfile=${REPO_ROOT}`,
        '--opt',
        `build-arg:NODE_IMAGE=${base.name}`,
        // FROM ${NODE_IMAGE} resolves to the base image's OCI layout: no registry is asked.
        '--opt',
        `context:${base.name}=oci-layout://oos-base@${base.digest}`,
        '--oci-layout',
        `oos-base=${base.layoutDir}`,
        ...npmArgs(),
        '--output',
        `type=oci,dest=${partial},name=${tag}`,
      ],
      {
        log,
        hint: `The log of buildkitd is ${buildkitd.log}.`,
      },
    );
    renameSync(partial, archive);
    pruneOldest(/^oos-[0-9a-f]+\.tar$/, ARCHIVES_KEPT);
  } finally {
    rmSync(partial, { force: true });
    await buildkitd.stop();
  }
  return { archive, tag, sizeBytes: archiveSize(archive), cached: false, seconds: seconds() };
}
