import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { loadManifests, parseManifests } from './manifests.js';

const noStdin = { readStdin: () => Promise.reject(new Error('no stdin in this test')) };

function errorOf(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

const TWO_DOCS = `# leading comment
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers: []
---
# an empty document
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b
spec:
  replicas: 3
`;

describe('parsing manifests', () => {
  it('reads every document of a multi-document YAML file, skipping empty ones', () => {
    const manifests = parseManifests('m.yaml', TWO_DOCS);
    expect(manifests.map((m) => [m.document, m.object.kind])).toEqual([
      [1, 'Pod'],
      [3, 'Deployment'],
    ]);
  });

  it('knows where each field is written, or its closest written ancestor', () => {
    const deployment = parseManifests('m.yaml', TWO_DOCS)[1];
    expect(deployment?.position(['spec', 'replicas'])).toEqual({ line: 16, col: 3 });
    expect(deployment?.position(['spec', 'template', 'spec'])).toEqual({ line: 15, col: 1 });
    expect(deployment?.position([])).toEqual({ line: 11, col: 1 });
  });

  it('expands List kinds into their items, with positions inside the list', () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: one }
  - apiVersion: v1
    kind: Secret
    metadata: { name: two }
`;
    const manifests = parseManifests('l.yaml', list);
    expect(manifests.map((m) => m.object.kind)).toEqual(['ConfigMap', 'Secret']);
    expect(manifests[1]?.position(['metadata'])).toEqual({ line: 9, col: 5 });
  });

  it('reads JSON', () => {
    const manifests = parseManifests(
      'p.json',
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}',
    );
    expect(manifests[0]?.object.kind).toBe('Pod');
  });

  it('reports malformed YAML with file, line and column', () => {
    const error = errorOf(() =>
      parseManifests('bad.yaml', 'kind: Pod\nmetadata: { name: x\nspec: {}\n'),
    );
    expect(error.code).toBe('OOS_ERR_YAML');
    expect(error.message).toMatch(/^bad\.yaml:3:1: /);
    expect(error.message).not.toContain('\n');
  });

  it('reports duplicate keys', () => {
    expect(errorOf(() => parseManifests('d.yaml', 'kind: Pod\nkind: Pod\n')).message).toMatch(
      /^d\.yaml:2:1: .*unique/i,
    );
  });

  it('reports documents that are not Kubernetes objects', () => {
    expect(errorOf(() => parseManifests('s.yaml', '--- just text\n')).code).toBe(
      'OOS_ERR_NOT_AN_OBJECT',
    );
    const missing = errorOf(() => parseManifests('k.yaml', 'apiVersion: v1\nmetadata: {}\n'));
    expect(missing.message).toBe(
      'k.yaml:1:1: document 1 is not a Kubernetes object (it needs apiVersion and kind)',
    );
  });
});

describe('loading manifests', () => {
  it('reads a directory recursively, sorted, .yaml .yml and .json only', async () => {
    const manifests = await loadManifests(['cli/testdata/workloads'], noStdin);
    const sources = [...new Set(manifests.map((m) => m.source))];
    expect(sources).toEqual([...sources].sort());
    expect(sources.some((s) => s.endsWith('ray-job.json'))).toBe(true);
  });

  it('reads standard input for -', async () => {
    const manifests = await loadManifests(['-'], { readStdin: () => Promise.resolve(TWO_DOCS) });
    expect(manifests.map((m) => m.source)).toEqual(['-', '-']);
  });

  it('reports a missing file and a directory without manifests', async () => {
    await expect(loadManifests(['nope.yaml'], noStdin)).rejects.toMatchObject({
      code: 'OOS_ERR_FILE_NOT_FOUND',
      message: 'nope.yaml: no such file or directory',
    });
    const empty = await mkdtemp(join(tmpdir(), 'oos-cli-'));
    try {
      await expect(loadManifests([empty], noStdin)).rejects.toMatchObject({
        code: 'OOS_ERR_NO_MANIFESTS',
      });
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});
