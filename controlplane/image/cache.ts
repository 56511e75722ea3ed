import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/**
 * Removes all but the `keep` newest entries of the image cache whose names match `pattern`
 * (archives or base images of older inputs): the newest stay, so switching back to a branch
 * finds its image, and the cache does not grow with every change.
 */
export function pruneOldest(pattern: RegExp, keep: number): void {
  const dir = imageCacheDir();
  const entries = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(keep)) rmSync(old.path, { recursive: true, force: true });
}
