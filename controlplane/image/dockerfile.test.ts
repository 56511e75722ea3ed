import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextSources, entrypoint } from './dockerfile.js';
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

describe('entrypoint', () => {
  it('reads the exec form of the last ENTRYPOINT', () => {
    const dockerfile = 'FROM x\nENTRYPOINT ["a"]\nENTRYPOINT ["node", "--flag=1", "main.js"]\n';
    expect(entrypoint(dockerfile)).toEqual(['node', '--flag=1', 'main.js']);
  });

  it('refuses the shell form and a missing one', () => {
    expect(() => entrypoint('ENTRYPOINT node main.js')).toThrow();
    expect(() => entrypoint('FROM x')).toThrow(/no ENTRYPOINT/);
  });

  it("is the repository's: Node.js runs the compiled operator", () => {
    const words = entrypoint(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    expect(words[0]).toBe('node');
    expect(words.at(-1)).toBe('dist/operator/main.js');
  });
});
