import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullnameFromManifest, installOos, NODE_VALUES, splitImage } from './oos-release.js';

describe('installOos', () => {
  it('refuses at once, before building the image, when the cluster directory has no running node', async () => {
    const clusterDir = mkdtempSync(join(tmpdir(), 'oos-release-test-'));
    const lines: string[] = [];
    try {
      await expect(
        installOos({
          clusterDir,
          kubeconfig: join(clusterDir, 'kubeconfig'),
          helm: '/nonexistent/helm',
          log: (line) => lines.push(line),
        }),
      ).rejects.toMatchObject({
        code: 'OOS_ERR_NODE_NOT_RUNNING',
        message: expect.stringContaining('npm run cluster:up -- --node') as unknown,
      });
      expect(lines).toEqual([]);
    } finally {
      rmSync(clusterDir, { recursive: true, force: true });
    }
  });
});

describe('splitImage', () => {
  it('splits at the tag, not at a registry port', () => {
    expect(splitImage('oos.local/oos:1f0c')).toEqual({ repository: 'oos.local/oos', tag: '1f0c' });
    expect(splitImage('registry:5000/oos:v1')).toEqual({
      repository: 'registry:5000/oos',
      tag: 'v1',
    });
    expect(splitImage('registry:5000/oos')).toEqual({ repository: 'registry:5000/oos', tag: '' });
  });
});

describe('fullnameFromManifest', () => {
  it("names the release's Deployment, whatever comes before it", () => {
    const manifest = [
      '---\n# Source: oos/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: { name: x-oos-webhook }',
      '---\n# Source: oos/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x-oos }',
    ].join('\n');
    expect(fullnameFromManifest(manifest)).toBe('x-oos');
  });

  it('is undefined when there is no Deployment', () => {
    expect(
      fullnameFromManifest('---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n'),
    ).toBe(undefined);
    expect(fullnameFromManifest('')).toBe(undefined);
  });
});

describe('NODE_VALUES', () => {
  it('says why for each value the node needs, and never sets the image itself', () => {
    for (const value of NODE_VALUES) {
      expect(value.set).toMatch(/^[\w.[\]-]+=/);
      expect(value.why.length).toBeGreaterThan(10);
      expect(value.set).not.toMatch(/^image\.(repository|tag)=/);
    }
  });
});
