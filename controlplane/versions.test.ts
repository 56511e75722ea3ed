import { describe, expect, it } from 'vitest';
import { binariesFor } from './build.js';
import { pinnedVersions } from './versions.js';

describe('pinned control plane versions', () => {
  it('reads every version from the go.mod files', () => {
    const versions = pinnedVersions();
    expect(versions.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(versions.etcd).toMatch(/^v3\.\d+\.\d+$/);
    expect(versions.helm).toMatch(/^v3\.\d+\.\d+$/);
    // Prometheus tags its Go module v0.<major><minor>.<patch> (v0.316.0 is the release 3.16.0).
    expect(versions.prometheus).toMatch(/^v0\.[1-9]\d{2}\.\d+$/);
    expect(versions.alertmanager).toMatch(/^v0\.\d+\.\d+$/);
    expect(versions.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('keys the binary cache by every version, outside the repository', () => {
    const bins = binariesFor();
    const { kubernetes, etcd, helm } = bins.versions;
    expect(bins.dir).toContain(`k8s-${kubernetes}_etcd-${etcd}_helm-${helm}`);
    expect(bins.dir.startsWith(process.cwd())).toBe(false);
    expect(bins.kubectl.startsWith(bins.dir)).toBe(true);
  });
});
