import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../engine/index.js';

describe('docs/rules.md', () => {
  it('documents every reason code in its table', async () => {
    const doc = await readFile(new URL('../docs/rules.md', import.meta.url), 'utf8');
    const missing = REASON_CODES.filter((code) => !doc.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });
});
