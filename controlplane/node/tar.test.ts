import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tar, untar } from './tar.js';

const entries = [
  { path: 'bin', mode: 0o755 },
  { path: 'bin/tool', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
  { path: 'empty', mode: 0o644, data: Buffer.alloc(0) },
  { path: 'block', mode: 0o600, data: Buffer.alloc(512, 7) },
];

describe('tar', () => {
  it('reads back the files it wrote, in 512-byte blocks', () => {
    const archive = tar(entries);
    expect(archive.length % 512).toBe(0);
    const files = untar(archive);
    expect([...files.keys()]).toEqual(['bin/tool', 'empty', 'block']);
    expect(files.get('bin/tool')?.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(files.get('block')?.equals(Buffer.alloc(512, 7))).toBe(true);
  });

  it('is reproducible byte for byte', () => {
    expect(tar(entries).equals(tar(entries))).toBe(true);
  });

  it('is a valid ustar archive for the system tar (modes, sizes, checksums)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oos-tar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), tar(entries));
      const listing = spawnSync('tar', ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
      expect(listing.status).toBe(0);
      expect(listing.stdout).toMatch(/^drwxr-xr-x .* bin\/$/m);
      expect(listing.stdout).toMatch(/^-rwxr-xr-x .* 18 .* bin\/tool$/m);
      expect(listing.stdout).toMatch(/^-rw------- .* 512 .* block$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a path ustar cannot hold', () => {
    expect(() => tar([{ path: 'x'.repeat(101), mode: 0o644, data: Buffer.alloc(1) }])).toThrow(
      /longer than 100 bytes/,
    );
  });
});
