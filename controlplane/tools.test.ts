import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binariesFor, type Binaries } from './build.js';
import { ControlPlaneError } from './errors.js';
import { toolPath, type ToolName } from './tools.js';

const NAMES: readonly ToolName[] = ['kubectl', 'helm', 'promtool', 'alertmanager'];

describe('toolPath: the cached tools, never the PATH', () => {
  let dir: string;
  let savedPath: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oos-tools-'));
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A cache of its own in the temporary directory, holding only the tools in `built`. */
  function cache(built: readonly ToolName[]): Binaries {
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir, { recursive: true });
    for (const name of built) writeFileSync(join(cacheDir, name), '');
    const paths = Object.fromEntries(NAMES.map((name) => [name, join(cacheDir, name)]));
    return { ...binariesFor(), dir: cacheDir, ...paths };
  }

  it.each(NAMES)('%s: the cached binary', (name) => {
    const bins = cache([name]);
    expect(toolPath(name, bins)).toBe(bins[name]);
  });

  it.each(NAMES)(
    '%s: not built yet, fails naming `npm run controlplane:build`, even with one on the PATH',
    (name) => {
      // An executable of that name first on the PATH, where a system package would put it.
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, name), 0o755);
      process.env.PATH = [bin, savedPath ?? ''].join(delimiter);
      const bins = cache([]);
      let thrown: unknown;
      try {
        toolPath(name, bins);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ControlPlaneError);
      const error = thrown as ControlPlaneError;
      expect(error.code).toBe('OOS_ERR_TOOL_MISSING');
      expect(error.message).toContain('run `npm run controlplane:build`');
      expect(error.message).toContain(bins[name]);
    },
  );

  it('keeps every tool in the cache directory of the pinned versions', () => {
    const bins = binariesFor();
    for (const name of NAMES) expect(bins[name]).toBe(join(bins.dir, name));
  });
});
