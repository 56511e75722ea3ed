import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../build.js';
import { IMAGE_DIR } from './versions.js';

/** `${XDG_CACHE_HOME:-~/.cache}/oos/image`: base images, the builder, BuildKit's state, archives. */
export function imageCacheDir(): string {
  return join(cacheRoot(), 'image');
}

/** A short content hash of some values and of the source files (in this folder) that use them. */
export function contentKey(values: unknown, sources: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(values));
  for (const source of sources) hash.update(readFileSync(join(IMAGE_DIR, source)));
  return hash.digest('hex').slice(0, 16);
}
