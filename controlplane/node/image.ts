import { createHash } from 'node:crypto';
import { tar, type TarEntry } from './tar.js';

/** A single-layer image of a few static files, made without a builder or a registry. */
export interface ImageSpec {
  /** Full reference, e.g. `oos.local/pause:1`: the name the runtime knows the image by. */
  readonly name: string;
  readonly files: readonly TarEntry[];
  readonly entrypoint: readonly string[];
  readonly cmd?: readonly string[];
  /** Numeric `uid[:gid]`; the image has no /etc/passwd. */
  readonly user?: string;
  /** Go's names: amd64, arm64. */
  readonly architecture: string;
}

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

interface Blob {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly data: Buffer;
}

function blob(mediaType: string, data: Buffer): Blob {
  return {
    mediaType,
    digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
    size: data.length,
    data,
  };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const descriptor = ({ mediaType, digest, size }: Blob): object => ({ mediaType, digest, size });

/** Go's GOARCH for this Node.js process's architecture. */
export function goArch(arch: string = process.arch): string {
  const names: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  return names[arch] ?? arch;
}

/**
 * An OCI image layout as a tar archive (what `ctr images import` reads), reproducible byte for
 * byte: the same files give the same digests. The name is in the `io.containerd.image.name`
 * annotation, which containerd keeps as the image's name.
 */
export function imageArchive(spec: ImageSpec): Buffer {
  const layer = blob(MEDIA.layer, tar(spec.files));
  const config = blob(
    MEDIA.config,
    json({
      architecture: spec.architecture,
      os: 'linux',
      config: {
        Entrypoint: spec.entrypoint,
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        ...(spec.user ? { User: spec.user } : {}),
        WorkingDir: '/',
      },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  const manifest = blob(
    MEDIA.manifest,
    json({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: descriptor(config),
      layers: [descriptor(layer)],
    }),
  );
  const tag = spec.name.slice(spec.name.lastIndexOf(':') + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        ...descriptor(manifest),
        platform: { architecture: spec.architecture, os: 'linux' },
        annotations: {
          'io.containerd.image.name': spec.name,
          'org.opencontainers.image.ref.name': tag,
        },
      },
    ],
  });
  return tar([
    { path: 'oci-layout', mode: 0o644, data: json({ imageLayoutVersion: '1.0.0' }) },
    { path: 'index.json', mode: 0o644, data: index },
    { path: 'blobs', mode: 0o755 },
    { path: 'blobs/sha256', mode: 0o755 },
    ...[layer, config, manifest].map((b) => ({
      path: `blobs/sha256/${b.digest.slice('sha256:'.length)}`,
      mode: 0o644,
      data: b.data,
    })),
  ]);
}
