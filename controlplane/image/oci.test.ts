import { describe, expect, it } from 'vitest';
import {
  imageConfig,
  imageIndex,
  imageManifest,
  MEDIA_TYPES,
  ociArchitecture,
  REF_NAME_ANNOTATION,
} from './oci.js';

const layer = { mediaType: MEDIA_TYPES.layerGzip, digest: 'sha256:aa', size: 10 };
const config = { mediaType: MEDIA_TYPES.config, digest: 'sha256:bb', size: 5 };

describe('OCI documents', () => {
  it('builds a config whose rootfs lists the uncompressed digests, one history entry per layer', () => {
    const doc = imageConfig({
      architecture: 'amd64',
      env: ['PATH=/usr/bin'],
      cmd: ['node'],
      diffIds: ['sha256:cc'],
      createdBy: ['debootstrap'],
    });
    expect(doc).toEqual({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin'], Cmd: ['node'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: ['sha256:cc'] },
      history: [{ created_by: 'debootstrap' }],
    });
  });

  it('refuses a history that does not match the layers', () => {
    expect(() =>
      imageConfig({
        architecture: 'amd64',
        env: [],
        cmd: [],
        diffIds: ['sha256:cc'],
        createdBy: [],
      }),
    ).toThrow(/one createdBy entry per layer/);
  });

  it('builds a manifest and an index that names it', () => {
    const manifest = imageManifest(config, [layer]);
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config,
      layers: [layer],
    });
    const descriptor = { mediaType: MEDIA_TYPES.manifest, digest: 'sha256:dd', size: 99 };
    expect(imageIndex(descriptor, 'oos.local/node-base:1')).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [
        { ...descriptor, annotations: { [REF_NAME_ANNOTATION]: 'oos.local/node-base:1' } },
      ],
    });
  });

  it("maps Node's architecture names to OCI's and refuses the unknown", () => {
    expect(ociArchitecture('x64')).toBe('amd64');
    expect(ociArchitecture('arm64')).toBe('arm64');
    expect(() => ociArchitecture('mips')).toThrow(/no OCI architecture/);
  });
});
