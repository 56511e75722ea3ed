import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** The parts of an OCI image config the tests read. */
export interface ImageConfig {
  architecture: string;
  os: string;
  config: {
    User?: string;
    Entrypoint?: string[];
    Cmd?: string[];
    Env?: string[];
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
  };
  rootfs: { diff_ids: string[] };
}

/** An OCI image archive unpacked into a directory: its index, manifest and config. */
export interface OciArchive {
  readonly dir: string;
  readonly index: { manifests: Descriptor[] };
  readonly manifest: { config: Descriptor; layers: Descriptor[] };
  readonly config: ImageConfig;
  blob(digest: string): string;
}

export function openArchive(archive: string, dir: string): OciArchive {
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const blob = (digest: string): string => join(dir, 'blobs', ...digest.split(':'));
  const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
  const index = json(join(dir, 'index.json')) as { manifests: Descriptor[] };
  const first = index.manifests[0];
  if (!first) throw new Error(`${archive}: index.json names no manifest`);
  const manifest = json(blob(first.digest)) as { config: Descriptor; layers: Descriptor[] };
  const config = json(blob(manifest.config.digest)) as ImageConfig;
  return { dir, index, manifest, config, blob };
}

/**
 * Applies the image's layers in order into `rootfs`, as a container runtime does: a `.wh.<name>`
 * entry deletes `<name>` from the layers below, `.wh..wh..opq` empties its directory.
 */
export function unpackLayers(image: OciArchive, rootfs: string): void {
  mkdirSync(rootfs, { recursive: true });
  for (const layer of image.manifest.layers) {
    const file = image.blob(layer.digest);
    const entries = execFileSync('tar', ['-tzf', file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }).split('\n');
    for (const entry of entries) {
      const name = basename(entry);
      if (!name.startsWith('.wh.')) continue;
      const parent = join(rootfs, dirname(entry));
      if (name === '.wh..wh..opq') {
        for (const child of safeList(parent)) rmSync(join(parent, child), { recursive: true });
      } else {
        rmSync(join(parent, name.slice('.wh.'.length)), { recursive: true, force: true });
      }
    }
    execFileSync('tar', ['-xzf', file, '-C', rootfs, '--numeric-owner', '--exclude=.wh.*']);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
