import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, ERRORS_DOC, withErrorCodes } from './error-codes-doc.js';
import { ERROR_CODES, errorCodesMarkdown } from './error-codes.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = [
  'api',
  'engine',
  'webhooks',
  'operator',
  'cli',
  'controlplane',
  'demo',
  'bench',
  'e2e',
  'charts',
  'docs',
];
const CATALOGUE = new Set(['api/error-codes.ts', 'docs/errors.md']);

/** Every source and documentation file of the repository, with its text. */
function files(): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  for (const folder of FOLDERS) {
    for (const entry of readdirSync(join(REPO, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|mjs|js|md|yaml|tpl|sh)$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      found.push({ path: relative(REPO, path), text: readFileSync(path, 'utf8') });
    }
  }
  found.push({ path: 'README.md', text: readFileSync(join(REPO, 'README.md'), 'utf8') });
  return found;
}

describe('the catalogue of OOS_ERR_* codes', () => {
  const all = files();
  const codes = new Set(Object.keys(ERROR_CODES));

  it('holds every code the repository uses, and nothing unused', () => {
    const used = new Map<string, string[]>();
    for (const { path, text } of all) {
      if (CATALOGUE.has(path)) continue;
      for (const [code] of text.matchAll(/OOS_ERR_[A-Z][A-Z_]*[A-Z]/g)) {
        used.set(code, [...(used.get(code) ?? []), path]);
      }
    }
    const unknown = [...used].filter(([code]) => !codes.has(code));
    expect(unknown, 'codes used but not in api/error-codes.ts').toEqual([]);
    expect(
      [...codes].filter((code) => !used.has(code)),
      'codes in the catalogue nothing uses',
    ).toEqual([]);
  });

  it('is what docs/errors.md shows (npm run docs:errors)', () => {
    const doc = readFileSync(ERRORS_DOC, 'utf8');
    expect(doc).toContain(`${BEGIN}\n${errorCodesMarkdown()}\n${END}`);
    expect(withErrorCodes(doc)).toBe(doc);
  });

  it('renders one row per code, in table order', () => {
    const rows = errorCodesMarkdown().split('\n').slice(2);
    expect(rows.map((row) => /`(OOS_ERR_[A-Z_]+)`/.exec(row)?.[1])).toEqual([...codes]);
    for (const row of rows) expect(row.split(' | ')).toHaveLength(4);
  });
});
