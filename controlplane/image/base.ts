import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { debianMirror } from './apt-mirror.js';
import { contentKey, imageCacheDir, pruneOldest } from './cache.js';
import { ControlPlaneError } from '../errors.js';
import { requireRoot } from './host.js';
import { matchesIntegrity, sha512Integrity } from './integrity.js';
import { writeOciLayout } from './oci-layout.js';
import { run, type Log } from './run.js';
import { BASE_IMAGE, type PinnedPackage } from './versions.js';

/** The base image, an OCI image layout in the cache, named for BuildKit's named contexts. */
export interface BaseImage {
  /** The name the Dockerfile's `FROM` uses (passed as the NODE_IMAGE build argument). */
  readonly name: string;
  readonly layoutDir: string;
  /** `sha256:<hex>` of the manifest. */
  readonly digest: string;
}

/** How many base images (of older pins or code too) the cache keeps. */
const BASES_KEPT = 2;

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function baseKey(): string {
  return contentKey(BASE_IMAGE, ['base.ts', 'oci-layout.ts', 'oci.ts']);
}

function readBase(layoutDir: string, name: string): BaseImage | undefined {
  if (!existsSync(join(layoutDir, 'COMPLETE'))) return undefined;
  const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const digest = index.manifests[0]?.digest;
  return digest ? { name, layoutDir, digest } : undefined;
}

/** The mirror of this machine's apt for the suite (or OOS_DEBIAN_MIRROR). */
function mirror(): string {
  const fromEnv = process.env.OOS_DEBIAN_MIRROR;
  if (fromEnv) return fromEnv;
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(dir, f));
    }
  }
  const sources = files
    .filter((f) => existsSync(f))
    .map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  const found = debianMirror(BASE_IMAGE.debianSuite, sources);
  if (!found) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_DEPS',
      `No apt source on this machine serves Debian ${BASE_IMAGE.debianSuite}, so debootstrap has ` +
        'no mirror to fetch from. Set OOS_DEBIAN_MIRROR to a Debian mirror URL and run again.',
    );
  }
  return found;
}

function debootstrapPath(): string {
  const found = ['/usr/sbin/debootstrap', '/sbin/debootstrap', '/usr/bin/debootstrap'].find((p) =>
    existsSync(p),
  );
  if (!found) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_DEPS',
      'debootstrap is not installed; it makes the base image from Debian packages. Run ' +
        '`scripts/install-test-deps.sh` (needs root) and try again.',
    );
  }
  return found;
}

/** `npm pack`s a package into `dir` and checks the tarball against the pinned integrity. */
async function packVerified(pkg: PinnedPackage, dir: string, log: Log): Promise<string> {
  const output = await run(
    'npm',
    ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', dir, '--json', '--silent'],
    { log: () => undefined, hint: 'Check that the npm registry is reachable (npm ping).' },
  );
  const [packed] = JSON.parse(output) as { filename: string }[];
  if (!packed)
    throw new ControlPlaneError('OOS_ERR_IMAGE_BUILD', `npm pack ${pkg.name} packed nothing`);
  const file = join(dir, packed.filename);
  const bytes = readFileSync(file);
  if (!matchesIntegrity(bytes, pkg.integrity)) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_INTEGRITY',
      `${pkg.name}@${pkg.version} from the npm registry has integrity ${sha512Integrity(bytes)}, but ` +
        `controlplane/image/versions.ts pins ${pkg.integrity}. The download was not used.`,
    );
  }
  log(`oos image: ${pkg.name}@${pkg.version} fetched, integrity checked`);
  return file;
}

/** Adds Node (only its binary) and npm to the root filesystem where the official image has them. */
async function addNode(rootfs: string, work: string, log: Log): Promise<void> {
  const nodeTgz = await packVerified(BASE_IMAGE.node, work, log);
  const npmTgz = await packVerified(BASE_IMAGE.npm, work, log);
  const local = join(rootfs, 'usr', 'local');
  const hint = 'The package tarball is damaged or the disk is full.';
  mkdirSync(join(local, 'bin'), { recursive: true });
  await run(
    'tar',
    ['-xzf', nodeTgz, '-C', local, '--strip-components=1', '--no-same-owner', 'package/bin/node'],
    { log, hint },
  );
  const npmDir = join(local, 'lib', 'node_modules', 'npm');
  mkdirSync(npmDir, { recursive: true });
  await run('tar', ['-xzf', npmTgz, '-C', npmDir, '--strip-components=1', '--no-same-owner'], {
    log,
    hint,
  });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin', 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin', 'npx'));
}

/** Leaves out what an image must not carry: device nodes, apt's downloads and lists, logs. */
function trim(rootfs: string): void {
  for (const dir of ['dev', 'var/cache/apt', 'var/lib/apt/lists', 'var/log', 'tmp', 'run']) {
    const path = join(rootfs, dir);
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
  }
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

/**
 * Returns the base image, making it the first time: Debian minbase (debootstrap from Debian's
 * packages) plus Node.js and npm from the npm registry, packed into an OCI image layout under
 * `${XDG_CACHE_HOME:-~/.cache}/oos/image/base-<key>`, where the key hashes the pins and the code.
 */
export async function ensureBaseImage(log: Log): Promise<BaseImage> {
  const key = baseKey();
  const name = `oos.local/node-base:${BASE_IMAGE.node.version}-${key}`;
  const layoutDir = join(imageCacheDir(), `base-${key}`);
  const cached = readBase(layoutDir, name);
  if (cached) return cached;

  requireRoot();
  const debootstrap = debootstrapPath();
  const staging = `${layoutDir}.partial-${process.pid}`;
  const rootfs = join(staging, 'rootfs');
  const layout = join(staging, 'layout');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(rootfs, { recursive: true });
  const started = Date.now();
  try {
    const from = mirror();
    log(
      `oos image: making the base image: Debian ${BASE_IMAGE.debianSuite} minbase (debootstrap), ` +
        `Node.js ${BASE_IMAGE.node.version}, npm ${BASE_IMAGE.npm.version}`,
    );
    await run(
      debootstrap,
      [
        '--variant=minbase',
        `--arch=${BASE_IMAGE.architecture}`,
        BASE_IMAGE.debianSuite,
        rootfs,
        from,
      ],
      {
        log,
        hint: `Check that the Debian mirror ${from} is reachable (or set OOS_DEBIAN_MIRROR) and that this runs as root.`,
      },
    );
    await addNode(rootfs, staging, log);
    trim(rootfs);
    const written = await writeOciLayout(
      layout,
      rootfs,
      {
        architecture: BASE_IMAGE.architecture,
        env: [`PATH=${PATH}`],
        cmd: ['node'],
        createdBy: [
          `debootstrap --variant=minbase ${BASE_IMAGE.debianSuite}; ` +
            `${BASE_IMAGE.node.name}@${BASE_IMAGE.node.version} bin/node; ` +
            `npm@${BASE_IMAGE.npm.version}`,
        ],
      },
      name,
    );
    writeFileSync(join(layout, 'COMPLETE'), `${written.manifest.digest}\n`);
    rmSync(layoutDir, { recursive: true, force: true });
    renameSync(layout, layoutDir);
    pruneOldest(/^base-[0-9a-f]+$/, BASES_KEPT);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`oos image: base image made in ${Math.round((Date.now() - started) / 1000)} s`);
  const made = readBase(layoutDir, name);
  if (!made)
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_BUILD',
      `the base image in ${layoutDir} is incomplete`,
    );
  return made;
}
