import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextSources } from './dockerfile.js';
import { REPO_ROOT } from './versions.js';

describe('contextSources', () => {
  it('lists the context paths of COPY, not the copies from a stage', () => {
    const dockerfile = [
      'FROM x AS build',
      'COPY package.json package-lock.json ./',
      'COPY --chown=1:1 ./api ./api',
      'COPY a \\',
      '  b/ /dst/',
      'FROM y',
      'COPY --from=build /src/dist ./dist',
    ].join('\n');
    expect(contextSources(dockerfile)).toEqual([
      'a',
      'api',
      'b',
      'package-lock.json',
      'package.json',
    ]);
  });

  it('refuses the JSON form rather than miss a source', () => {
    expect(() => contextSources('COPY ["a b", "/x/"]')).toThrow(/JSON form/);
  });

  it("reads the repository's Dockerfile: the sources the image is built from", () => {
    const sources = contextSources(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    expect(sources).toContain('package-lock.json');
    expect(sources).toContain('engine');
    expect(sources).not.toContain('/src/dist');
  });
});
