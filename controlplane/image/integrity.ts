import { createHash } from 'node:crypto';

/** The subresource integrity (`sha512-<base64>`) of some bytes, as npm records it. */
export function sha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/**
 * Whether a downloaded tarball is the pinned one. Only a sha512 integrity is accepted: a pin in
 * another (weaker, or unknown) algorithm, or a malformed one, never matches.
 */
export function matchesIntegrity(bytes: Buffer, pinned: string): boolean {
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(pinned)) return false;
  return sha512Integrity(bytes) === pinned;
}
