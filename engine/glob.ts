/**
 * Globs as the api/ defines them: `*` matches any run of characters, `/` included; every other
 * character matches itself. Compiled once per snapshot.
 */

export interface CompiledGlob {
  readonly pattern: string;
  readonly regex: RegExp;
}

const SPECIAL = /[.+?^${}()|[\]\\]/g;

export function compileGlob(pattern: string): CompiledGlob {
  const source = pattern
    .split('*')
    .map((part) => part.replace(SPECIAL, '\\$&'))
    .join('[\\s\\S]*');
  return { pattern, regex: new RegExp(`^${source}$`) };
}

/** A list of globs; `firstMatch` tells which one matched, for the reasons a Decision reports. */
export class GlobList {
  private readonly globs: readonly CompiledGlob[];

  constructor(patterns: Iterable<string>) {
    this.globs = [...new Set(patterns)].map(compileGlob);
  }

  get patterns(): readonly string[] {
    return this.globs.map((glob) => glob.pattern);
  }

  /** The first pattern that matches `text`, or undefined. */
  firstMatch(text: string): string | undefined {
    return this.globs.find((glob) => glob.regex.test(text))?.pattern;
  }

  matches(text: string): boolean {
    return this.firstMatch(text) !== undefined;
  }
}
