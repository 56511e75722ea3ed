import { describe, expect, it } from 'vitest';
import { applyPatch } from './patch.js';

describe('applyPatch', () => {
  const document = { spec: { a: 1, 'x/y': 2 } };

  it('adds, replaces and removes members of a copy', () => {
    const patched = applyPatch(document, [
      { op: 'add', path: '/spec/grantedBy', value: 'alice' },
      { op: 'replace', path: '/spec/a', value: 3 },
      { op: 'remove', path: '/spec/x~1y' },
    ]);
    expect(patched).toEqual({ spec: { a: 3, grantedBy: 'alice' } });
    expect(document).toEqual({ spec: { a: 1, 'x/y': 2 } });
  });

  it('fails when a parent does not exist', () => {
    expect(applyPatch(document, [{ op: 'add', path: '/status/x', value: 1 }])).toBeUndefined();
  });
});
