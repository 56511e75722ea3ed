/**
 * `npm run generate`: writes one CRD per kind under crds/ and the same files under the Helm
 * chart's charts/oos/crds/. `npm run generate -- --check` writes nothing and exits 1 when either
 * copy differs from what the schemas generate.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP } from '../group.js';
import { drift, hasDrift, renderCrds } from './render.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every directory that holds the generated CRDs, relative to the repository. */
const CRD_DIRS = ['crds', join('charts', 'oos', 'crds')] as const;

function readGeneratedFiles(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const names = readdirSync(dir).filter(
    (name) => name.startsWith(`${GROUP}_`) && name.endsWith('.yaml'),
  );
  return new Map(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

function main(check: boolean): number {
  const generated = renderCrds();
  let status = 0;
  for (const relative of CRD_DIRS) {
    const dir = join(REPO, relative);
    const d = drift(generated, readGeneratedFiles(dir));
    if (check) {
      if (!hasDrift(d)) {
        process.stdout.write(`${relative}/ is up to date (${generated.size} CRDs)\n`);
        continue;
      }
      for (const name of d.missing) process.stderr.write(`missing: ${relative}/${name}\n`);
      for (const name of d.changed) process.stderr.write(`changed: ${relative}/${name}\n`);
      for (const name of d.stale) process.stderr.write(`stale:   ${relative}/${name}\n`);
      process.stderr.write(
        `${relative}/ differs from api/: run \`npm run generate\` and commit the result\n`,
      );
      status = 1;
      continue;
    }
    mkdirSync(dir, { recursive: true });
    for (const [name, contents] of generated) writeFileSync(join(dir, name), contents);
    for (const name of d.stale) rmSync(join(dir, name));
    process.stdout.write(
      `wrote ${generated.size} CRDs to ${relative}/ (${d.changed.length + d.missing.length} changed, ${d.stale.length} removed)\n`,
    );
  }
  return status;
}

process.exitCode = main(process.argv.slice(2).includes('--check'));
