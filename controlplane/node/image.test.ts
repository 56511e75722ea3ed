import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goArch, imageArchive, type ImageSpec } from './image.js';
import { untar } from './tar.js';

const spec: ImageSpec = {
  name: 'oos.local/tool:2',
  files: [{ path: 'tool', mode: 0o755, data: Buffer.from('binary') }],
  entrypoint: ['/tool'],
  cmd: ['serve'],
  user: '65534:65534',
  architecture: 'amd64',
};

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

function read(archive: Buffer): { files: Map<string, Buffer>; blob: (d: Descriptor) => Buffer } {
  const files = untar(archive);
  const blob = (d: Descriptor): Buffer => {
    const data = files.get(`blobs/sha256/${d.digest.slice(7)}`);
    if (!data) throw new Error(`missing blob ${d.digest}`);
    return data;
  };
  return { files, blob };
}

function first<T>(items: readonly T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

describe('imageArchive (an OCI image layout as a tar)', () => {
  const archive = imageArchive(spec);
  const { files, blob } = read(archive);
  const index = JSON.parse(files.get('index.json')?.toString() ?? '{}') as {
    manifests: Descriptor[];
  };

  it('names the image for containerd and declares the layout', () => {
    expect(JSON.parse(files.get('oci-layout')?.toString() ?? '{}')).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]?.annotations?.['io.containerd.image.name']).toBe(spec.name);
    expect(index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name']).toBe('2');
    expect(index.manifests[0]?.platform).toEqual({ architecture: 'amd64', os: 'linux' });
  });

  it('stores every blob under its own sha256, with the size its descriptor says', () => {
    for (const [path, data] of files) {
      if (!path.startsWith('blobs/sha256/')) continue;
      expect(createHash('sha256').update(data).digest('hex')).toBe(path.slice(13));
    }
    const manifestDescriptor = first(index.manifests);
    const manifest = JSON.parse(blob(manifestDescriptor).toString()) as {
      config: Descriptor;
      layers: Descriptor[];
    };
    expect(blob(manifestDescriptor).length).toBe(manifestDescriptor.size);
    for (const d of [manifest.config, ...manifest.layers]) expect(blob(d).length).toBe(d.size);
  });

  it('holds the files in its one layer and runs the entrypoint as the user', () => {
    const manifest = JSON.parse(blob(first(index.manifests)).toString()) as {
      config: Descriptor;
      layers: Descriptor[];
    };
    const layer = first(manifest.layers);
    expect(untar(blob(layer)).get('tool')?.toString()).toBe('binary');
    const config = JSON.parse(blob(manifest.config).toString()) as {
      os: string;
      architecture: string;
      config: { Entrypoint: string[]; Cmd: string[]; User: string };
      rootfs: { diff_ids: string[] };
    };
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64' });
    expect(config.config).toMatchObject({
      Entrypoint: ['/tool'],
      Cmd: ['serve'],
      User: '65534:65534',
    });
    // Uncompressed layer: its diff ID is its digest.
    expect(config.rootfs.diff_ids).toEqual([layer.digest]);
  });

  it('is reproducible: the same files give the same digests', () => {
    expect(imageArchive(spec).equals(archive)).toBe(true);
    expect(imageArchive({ ...spec, cmd: ['other'] }).equals(archive)).toBe(false);
  });

  it("names Node's architectures as Go does", () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
  });
});
