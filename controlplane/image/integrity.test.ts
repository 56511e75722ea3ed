import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { matchesIntegrity, sha512Integrity } from './integrity.js';
import { BASE_IMAGE } from './versions.js';

const tarball = Buffer.from('package/bin/node\0the real bytes');
const pinned = sha512Integrity(tarball);

describe('matchesIntegrity', () => {
  it('accepts the pinned bytes', () => {
    expect(matchesIntegrity(tarball, pinned)).toBe(true);
  });

  it('refuses bytes changed by one bit', () => {
    const tampered = Buffer.from(tarball);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(matchesIntegrity(tampered, pinned)).toBe(false);
  });

  it('refuses a pin in a weaker algorithm even when it matches the bytes', () => {
    const sha1 = `sha1-${createHash('sha1').update(tarball).digest('base64')}`;
    expect(matchesIntegrity(tarball, sha1)).toBe(false);
    expect(matchesIntegrity(tarball, '')).toBe(false);
    expect(matchesIntegrity(tarball, `${pinned} `)).toBe(false);
  });

  it('has every pin of the base image in the one accepted form', () => {
    for (const pkg of [BASE_IMAGE.node, BASE_IMAGE.npm]) {
      expect(pkg.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
  });
});
