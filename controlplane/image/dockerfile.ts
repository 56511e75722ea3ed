/**
 * What the Dockerfile copies from the build context: the sources of its `COPY` instructions that
 * do not copy from a stage (`--from=`). These files, with the Dockerfile, decide the image, so
 * their content names it. Pure.
 */
export function contextSources(dockerfile: string): string[] {
  const joined = dockerfile.replace(/\\\r?\n/g, ' ');
  const sources = new Set<string>();
  for (const line of joined.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0]?.toUpperCase() !== 'COPY' && words[0]?.toUpperCase() !== 'ADD') continue;
    const args = words.slice(1);
    if (args.some((a) => a.startsWith('--from='))) continue;
    const paths = args.filter((a) => !a.startsWith('--'));
    if (paths[0]?.startsWith('[')) {
      throw new Error(`contextSources: the JSON form of COPY is not supported: ${line.trim()}`);
    }
    for (const source of paths.slice(0, -1))
      sources.add(source.replace(/^\.\//, '').replace(/\/$/, ''));
  }
  return [...sources].sort();
}

/**
 * The exec form of the Dockerfile's last `ENTRYPOINT` (`["node", "--flag", "dist/…"]`): how the
 * image runs the operator, which `bench:controller --compiled` runs the same way. Pure.
 */
export function entrypoint(dockerfile: string): string[] {
  const lines = dockerfile.split('\n').filter((line) => /^ENTRYPOINT\s/i.test(line.trim()));
  const last = lines
    .at(-1)
    ?.trim()
    .replace(/^ENTRYPOINT\s+/i, '');
  const words: unknown = last === undefined ? undefined : JSON.parse(last);
  if (!Array.isArray(words) || !words.every((word) => typeof word === 'string')) {
    throw new Error('entrypoint: the Dockerfile has no ENTRYPOINT in exec (JSON) form');
  }
  return words;
}
