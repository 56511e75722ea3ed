/**
 * The Debian mirror debootstrap fetches from: the one this machine's apt already uses for the
 * suite (so no mirror is written into oos), or OOS_DEBIAN_MIRROR. Pure: the caller reads the files.
 */

/** deb822 `.sources` stanzas: `URIs:` and `Suites:` fields. */
function fromDeb822(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] =>
      new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    if (!field('Types').includes('deb')) continue;
    if (!field('Suites').includes(suite)) continue;
    const uri = field('URIs')[0];
    if (uri) return uri;
  }
  return undefined;
}

/** One-line `deb [options] URI suite components` entries. */
function fromOneLine(text: string, suite: string): string | undefined {
  for (const line of text.split('\n')) {
    const words = line
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .split(/\s+/);
    if (words[0] === 'deb' && words[2] === suite && words[1]) return words[1];
  }
  return undefined;
}

/**
 * The first mirror that serves `suite` in the given apt source files (name → content), in order.
 */
export function debianMirror(
  suite: string,
  sources: readonly { readonly name: string; readonly text: string }[],
): string | undefined {
  for (const { name, text } of sources) {
    const uri = name.endsWith('.sources') ? fromDeb822(text, suite) : fromOneLine(text, suite);
    if (uri) return uri;
  }
  return undefined;
}
