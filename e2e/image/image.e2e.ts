import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, type BuiltImage } from '../../controlplane/image/build.js';
import { ensureRunc } from '../../controlplane/image/builder.js';
import { entrypoint } from '../../controlplane/image/dockerfile.js';
import { REPO_ROOT } from '../../controlplane/image/versions.js';
import { openArchive, unpackLayers, type OciArchive } from './oci-archive.js';
import { runInImage } from './runc.js';

// BuildKit runs the Dockerfile's RUN steps in containers and runc runs the image: both need root.
const root = process.getuid?.() === 0;
const log = (line: string): void => {
  if (process.env.OOS_E2E_VERBOSE) process.stderr.write(`${line}\n`);
};

interface LockPackage {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

describe.skipIf(!root)('npm run image: the Dockerfile built with no registry and no daemon', () => {
  let built: BuiltImage;
  let image: OciArchive;
  let work: string;
  let bundle: string;
  let runc: string;

  beforeAll(async () => {
    // Cold: base image, BuildKit, runc and the build (minutes); warm: the cached archive.
    built = await buildImage(log);
    process.stdout.write(
      `image: ${built.tag} ${(built.sizeBytes / 1024 / 1024).toFixed(1)} MiB ` +
        `(${built.cached ? 'cached' : `built in ${built.seconds} s`}) ${built.archive}\n`,
    );
    work = mkdtempSync(join(tmpdir(), 'oos-image-e2e-'));
    image = openArchive(built.archive, join(work, 'archive'));
    bundle = join(work, 'bundle');
    unpackLayers(image, join(bundle, 'rootfs'));
    runc = await ensureRunc(log);
  }, 3_600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is cached by content: the same inputs give the same archive and tag, nothing rebuilt', async () => {
    const again = await buildImage(log);
    expect(again.cached).toBe(true);
    expect(again.archive).toBe(built.archive);
    expect(again.tag).toBe(built.tag);
    expect(again.tag).toMatch(/^oos\.local\/oos:[0-9a-f]{16}$/);
  });

  it('names the image for `ctr images import` in the archive index', () => {
    const names = image.index.manifests.flatMap((m) => Object.values(m.annotations ?? {}));
    expect(names).toContain(built.tag);
  });

  it('runs the operator as the non-root user the chart expects, from /app', () => {
    const chart = readFileSync(join(REPO_ROOT, 'charts/oos/templates/deployment.yaml'), 'utf8');
    const chartUser = /runAsUser:\s*(\d+)/.exec(chart)?.[1];
    expect(image.config.os).toBe('linux');
    expect(image.config.config.User).toBe(`${chartUser ?? '?'}:${chartUser ?? '?'}`);
    // The Dockerfile's command line, its Node.js flags with it (bench:controller --compiled runs it).
    const command = entrypoint(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    expect(command.at(0)).toBe('node');
    expect(command.at(-1)).toBe('dist/operator/main.js');
    expect(image.config.config.Entrypoint).toEqual(command);
    expect(image.config.config.WorkingDir).toBe('/app');
    expect(image.config.config.Env).toContain('NODE_ENV=production');
    expect(Object.keys(image.config.config.ExposedPorts ?? {})).toEqual(['8443/tcp']);
  });

  it('holds the production dependencies of the lockfile and none of the dev dependencies', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockPackage>;
    };
    const app = join(bundle, 'rootfs', 'app');
    const modules = Object.entries(lock.packages).filter(([path]) =>
      path.startsWith('node_modules/'),
    );
    const dev = modules.filter(([, pkg]) => pkg.dev === true).map(([path]) => path);
    const prod = modules
      .filter(([, pkg]) => !pkg.dev && !pkg.optional && !pkg.devOptional)
      .map(([path]) => path);
    expect(dev.length).toBeGreaterThan(0);
    expect(prod.length).toBeGreaterThan(0);
    expect(dev.filter((path) => existsSync(join(app, path)))).toEqual([]);
    expect(prod.filter((path) => !existsSync(join(app, path)))).toEqual([]);
    expect(existsSync(join(app, 'dist/operator/main.js'))).toBe(true);
    // The runtime stage removes npm: nothing in the image installs code at run time.
    expect(existsSync(join(bundle, 'rootfs/usr/local/lib/node_modules/npm'))).toBe(false);
    expect(existsSync(join(bundle, 'rootfs/usr/local/bin/npm'))).toBe(false);
  });

  it("runs the image's node with runc: non-root, read-only root filesystem, no capabilities", () => {
    const version = runInImage(runc, bundle, image.config, ['node', '--version']);
    expect(version.stderr).toBe('');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^v20\.\d+\.\d+$/);

    const whoami = runInImage(runc, bundle, image.config, [
      'node',
      '-e',
      "const fs=require('node:fs');let w='writable';try{fs.writeFileSync('/app/x','')}catch(e){w=e.code}" +
        ";console.log(process.getuid()+':'+process.getgid()+' '+w)",
    ]);
    expect(whoami.status).toBe(0);
    expect(whoami.stdout.trim()).toBe('65532:65532 EROFS');
  });

  it("starts the operator's entrypoint in the image (its --help, with no cluster)", () => {
    const help = runInImage(runc, bundle, image.config, [
      ...(image.config.config.Entrypoint ?? []),
      '--help',
    ]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/usage/i);
  });
});
