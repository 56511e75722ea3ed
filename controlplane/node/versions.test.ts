import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULE_DIR, pinnedVersions } from '../versions.js';
import { nodeBinariesFor, NODE_PROGRAMS } from './build.js';
import { nodeModuleDir, nodePinnedVersions } from './versions.js';

const replaceBlock = (goMod: string): string => /^replace \($[\s\S]*?^\)$/m.exec(goMod)?.[0] ?? '';

describe('pinned node versions', () => {
  it('builds the kubelet, kube-proxy and kube-scheduler of the control plane’s Kubernetes version', () => {
    expect(nodePinnedVersions().kubernetes).toBe(pinnedVersions().kubernetes);
    // Same staging-module replacements: the node's Kubernetes libraries are the control plane's.
    const node = replaceBlock(readFileSync(join(nodeModuleDir('kube'), 'go.mod'), 'utf8'));
    expect(node).not.toBe('');
    expect(node).toBe(replaceBlock(readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8')));
  });

  it('reads every version from the go.mod files and keys the cache by all of them', () => {
    const v = nodePinnedVersions();
    expect(v.containerd).toMatch(/^v2\.\d+\.\d+$/);
    expect(v.runc).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.cni).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.kubeRouter).toMatch(/^v2\.\d+\.\d+$/);
    const bins = nodeBinariesFor(v);
    for (const version of [
      v.kubernetes,
      v.containerd,
      v.runc,
      v.cni,
      v.kubeRouter,
      v.fingerprint,
    ]) {
      expect(bins.dir).toContain(version);
    }
    expect(bins.dir.startsWith(process.cwd())).toBe(false);
    expect(NODE_PROGRAMS.map((p) => bins.path(p)).every((p) => p.startsWith(`${bins.dir}/`))).toBe(
      true,
    );
  });

  it('changes the fingerprint when a pinned file changes', () => {
    const a = nodeBinariesFor({ ...nodePinnedVersions(), fingerprint: 'aaaaaaaaaaaa' });
    const b = nodeBinariesFor({ ...nodePinnedVersions(), fingerprint: 'bbbbbbbbbbbb' });
    expect(a.dir).not.toBe(b.dir);
  });
});
