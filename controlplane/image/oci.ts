/**
 * The documents of an OCI image layout (image-spec v1.1): descriptors, the image config, the
 * manifest and the index. Pure: the caller hashes and writes the blobs.
 */

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** The annotation containerd's `ctr images import` and BuildKit read as the image's name. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface Descriptor {
  readonly mediaType: string;
  /** `sha256:<hex>` */
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageConfigInput {
  readonly architecture: string;
  readonly env: readonly string[];
  readonly cmd: readonly string[];
  /** `sha256:<hex>` of each layer's uncompressed tar, bottom first. */
  readonly diffIds: readonly string[];
  /** What each layer holds, for `history`; one entry per layer. */
  readonly createdBy: readonly string[];
}

export function imageConfig(input: ImageConfigInput): object {
  if (input.createdBy.length !== input.diffIds.length) {
    throw new Error('imageConfig: one createdBy entry per layer');
  }
  return {
    architecture: input.architecture,
    os: 'linux',
    config: { Env: [...input.env], Cmd: [...input.cmd], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [...input.diffIds] },
    history: input.createdBy.map((created_by) => ({ created_by })),
  };
}

export function imageManifest(config: Descriptor, layers: readonly Descriptor[]): object {
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers };
}

/** The layout's index.json: one manifest, named so tools can find it by tag. */
export function imageIndex(manifest: Descriptor, refName: string): object {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [{ ...manifest, annotations: { [REF_NAME_ANNOTATION]: refName } }],
  };
}

/** The `oci-layout` file that marks a directory as an OCI image layout. */
export const OCI_LAYOUT_FILE = { imageLayoutVersion: '1.0.0' } as const;

/** Docker's and BuildKit's architecture name for Node's `process.arch`. */
export function ociArchitecture(nodeArch: string): string {
  const names: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' };
  const name = names[nodeArch];
  if (!name) throw new Error(`no OCI architecture name for Node's process.arch ${nodeArch}`);
  return name;
}
