/**
 * `npm run generate`: writes one CRD per kind under crds/. `npm run generate -- --check` writes
 * nothing and exits 1 when the committed CRDs differ from what the schemas generate.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP } from '../group.js';
import { drift, hasDrift, renderCrds } from './render.js';

const CRD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crds');

function readGeneratedFiles(dir: string): Map<string, string> {
  const names = readdirSync(dir).filter(
    (name) => name.startsWith(`${GROUP}_`) && name.endsWith('.yaml'),
  );
  return new Map(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

function main(check: boolean): number {
  const generated = renderCrds();
  const onDisk = readGeneratedFiles(CRD_DIR);
  const d = drift(generated, onDisk);
  if (check) {
    if (!hasDrift(d)) {
      process.stdout.write(`crds/ is up to date (${generated.size} CRDs)\n`);
      return 0;
    }
    for (const name of d.missing) process.stderr.write(`missing: crds/${name}\n`);
    for (const name of d.changed) process.stderr.write(`changed: crds/${name}\n`);
    for (const name of d.stale) process.stderr.write(`stale:   crds/${name}\n`);
    process.stderr.write('crds/ differs from api/: run `npm run generate` and commit the result\n');
    return 1;
  }
  for (const [name, contents] of generated) writeFileSync(join(CRD_DIR, name), contents);
  for (const name of d.stale) rmSync(join(CRD_DIR, name));
  process.stdout.write(
    `wrote ${generated.size} CRDs to crds/ (${d.changed.length + d.missing.length} changed, ${d.stale.length} removed)\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2).includes('--check'));
