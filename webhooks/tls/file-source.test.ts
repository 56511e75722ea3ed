import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTlsSource } from './file-source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FileTlsSource', () => {
  it('serves the files and picks up rewritten ones (cert-manager rotation) without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oos-tls-'));
    dirs.push(dir);
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    writeFileSync(cert, 'CERT-1');
    writeFileSync(key, 'KEY-1');
    const source = new FileTlsSource(cert, key, 20);
    expect(source.current()).toEqual({ cert: 'CERT-1', key: 'KEY-1' });

    const changed = new Promise<void>((resolve) => {
      source.onChange(resolve);
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(cert, 'CERT-2');
    writeFileSync(key, 'KEY-2');
    await changed;
    expect(source.current()).toEqual({ cert: 'CERT-2', key: 'KEY-2' });
    source.close();
  });

  it('fails at start-up when a file is missing', () => {
    expect(() => new FileTlsSource('/nonexistent/tls.crt', '/nonexistent/tls.key')).toThrow(
      /ENOENT/,
    );
  });
});
