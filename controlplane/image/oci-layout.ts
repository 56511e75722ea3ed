import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ControlPlaneError } from '../errors.js';
import {
  imageConfig,
  imageIndex,
  imageManifest,
  MEDIA_TYPES,
  OCI_LAYOUT_FILE,
  type Descriptor,
  type ImageConfigInput,
} from './oci.js';

const sha256 = (data: Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

function blobPath(layout: string, digest: string): string {
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

function writeJsonBlob(layout: string, mediaType: string, document: object): Descriptor {
  const bytes = Buffer.from(JSON.stringify(document));
  const digest = sha256(bytes);
  writeFileSync(blobPath(layout, digest), bytes);
  return { mediaType, digest, size: bytes.length };
}

/** A stream that passes bytes through and hashes (and counts) them on the way. */
function hashing(): { stream: PassThrough; digest: () => string; size: () => number } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  return { stream, digest: () => `sha256:${hash.digest('hex')}`, size: () => size };
}

interface Layer {
  readonly descriptor: Descriptor;
  readonly diffId: string;
}

/**
 * Packs a root filesystem directory into one gzip layer blob: numeric owners (the image's users
 * are not the host's), names sorted and times fixed so the same tree gives the same digest.
 */
async function writeLayer(layout: string, rootfs: string): Promise<Layer> {
  const tar = spawn(
    'tar',
    ['--numeric-owner', '--sort=name', '--mtime=@0', '--xattrs', '-C', rootfs, '-cf', '-', '.'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => tar.on('close', resolve));
  const uncompressed = hashing();
  const compressed = hashing();
  const partial = join(layout, 'blobs', 'layer.partial');
  await pipeline(
    tar.stdout,
    uncompressed.stream,
    createGzip({ level: 6 }),
    compressed.stream,
    createWriteStream(partial),
  );
  const code = await exited;
  if (code !== 0) {
    throw new ControlPlaneError(
      'OOS_ERR_IMAGE_BUILD',
      `tar of ${rootfs} failed (${code}): ${stderr}`,
    );
  }
  const digest = compressed.digest();
  renameSync(partial, blobPath(layout, digest));
  return {
    descriptor: { mediaType: MEDIA_TYPES.layerGzip, digest, size: compressed.size() },
    diffId: uncompressed.digest(),
  };
}

export interface WrittenLayout {
  readonly dir: string;
  /** The manifest's descriptor: `oci-layout://<dir>@<digest>` names the image. */
  readonly manifest: Descriptor;
}

/** Writes a one-layer OCI image layout of `rootfs` into `dir` (which must be new). */
export async function writeOciLayout(
  dir: string,
  rootfs: string,
  config: Omit<ImageConfigInput, 'diffIds'>,
  refName: string,
): Promise<WrittenLayout> {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layer = await writeLayer(dir, rootfs);
  const configBlob = writeJsonBlob(
    dir,
    MEDIA_TYPES.config,
    imageConfig({ ...config, diffIds: [layer.diffId] }),
  );
  const manifest = writeJsonBlob(
    dir,
    MEDIA_TYPES.manifest,
    imageManifest(configBlob, [layer.descriptor]),
  );
  writeFileSync(join(dir, 'index.json'), JSON.stringify(imageIndex(manifest, refName)));
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify(OCI_LAYOUT_FILE));
  return { dir, manifest };
}
