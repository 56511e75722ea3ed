import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { API_VERSION } from './group.js';
import { validationErrors } from './issues.js';
import { findKind, KINDS } from './registry.js';
import { STAMPED_FIELDS } from './stamps.js';

const SAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');

interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
}

const manifests: Manifest[] = readdirSync(SAMPLE_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .flatMap((name) =>
    parseAllDocuments(readFileSync(join(SAMPLE_DIR, name), 'utf8')).map(
      (doc) => doc.toJS() as Manifest,
    ),
  );
const governance = manifests.filter((m) => m.apiVersion === API_VERSION);

describe('samples/', () => {
  it('shows every kind a person writes (Escalations are opened by the controller)', () => {
    const kinds = new Set(governance.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(
      KINDS.map((k) => k.kind)
        .filter((k) => k !== 'Escalation')
        .sort(),
    );
  });

  it.each(governance.map((m) => [`${m.kind ?? '?'}/${m.metadata?.name ?? '?'}`, m] as const))(
    '%s is valid',
    (_name, manifest) => {
      const definition = findKind(manifest.kind ?? '');
      expect(definition).toBeDefined();
      expect(validationErrors(definition?.schema ?? KINDS[0].schema, manifest)).toEqual([]);
    },
  );

  it('never types a stamped field by hand', () => {
    const stamped: readonly string[] = Object.values(STAMPED_FIELDS).flat();
    for (const manifest of governance) {
      expect(Object.keys(manifest.spec ?? {}).filter((field) => stamped.includes(field))).toEqual(
        [],
      );
    }
  });

  it('has the organisation the docs describe', () => {
    const named = (kind: string, name: string) =>
      governance.find((m) => m.kind === kind && m.metadata?.name === name)?.spec;
    expect(named('AccountableRole', 'credit-risk-officer')?.holders).toHaveLength(2);
    expect(named('Capability', 'invoice-triage')).toMatchObject({ autonomy: 'Advisory' });
    expect(named('Capability', 'fraud-scoring')).toMatchObject({
      autonomy: 'Supervised',
      riskTier: 'High',
    });
  });
});
