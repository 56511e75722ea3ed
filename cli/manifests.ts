import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { CliError, where } from './errors.js';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** One Kubernetes object read from a manifest file, with where it came from. */
export interface Manifest {
  /** The file, or `-` for standard input. */
  readonly source: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  readonly object: Readonly<Record<string, unknown>>;
  /** Where a path inside the object is written (the key of the last step), when known. */
  readonly position: (path: readonly PropertyKey[]) => Position | undefined;
}

/** Reads files, streams standard input and finds manifests in directories (what `-f` names). */
export interface ManifestSource {
  readonly readStdin: () => Promise<string>;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function filesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CliError('OOS_ERR_FILE_NOT_FOUND', `${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile() && EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) {
    throw new CliError(
      'OOS_ERR_NO_MANIFESTS',
      `${path}: the directory holds no .yaml, .yml or .json file`,
    );
  }
  return files;
}

type YamlDocument = Document.Parsed;

/** Offset of the key (or item) that `path` ends with, or undefined when it is not written. */
function offsetOf(doc: YamlDocument, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0) return doc.contents?.range[0];
  const last = path[path.length - 1];
  const parent = doc.getIn(path.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item: unknown = parent.items[last];
    return isMap(item) || isSeq(item) || isScalar(item) ? item.range?.[0] : undefined;
  }
  return undefined;
}

/** Where `path` is written, or its closest written ancestor (a missing field points at its parent). */
function positionIn(doc: YamlDocument, lines: LineCounter, base: readonly PropertyKey[]) {
  return (path: readonly PropertyKey[]): Position | undefined => {
    const full = [...base, ...path];
    for (let depth = full.length; depth >= 0; depth -= 1) {
      const offset = offsetOf(doc, full.slice(0, depth));
      if (offset !== undefined) return lines.linePos(offset);
    }
    return undefined;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A document's objects: itself, or the items of a `List` (kind List or any *List with items). */
function objectsOf(value: Record<string, unknown>): { object: unknown; base: PropertyKey[] }[] {
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    return (value.items as unknown[]).map((object, index) => ({ object, base: ['items', index] }));
  }
  return [{ object: value, base: [] }];
}

/** Parses the YAML (or JSON) text of one file into manifests. */
export function parseManifests(source: string, text: string): Manifest[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  const manifests: Manifest[] = [];
  docs.forEach((doc, index) => {
    const error = doc.errors[0];
    if (error !== undefined) {
      const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
      throw new CliError(
        'OOS_ERR_YAML',
        `${where(source, lines.linePos(error.pos[0]))}: ${reason}`,
      );
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const position = positionIn(doc, lines, []);
    if (!isObject(value)) {
      throw new CliError(
        'OOS_ERR_NOT_AN_OBJECT',
        `${where(source, position([]))}: document ${index + 1} is not a Kubernetes object`,
      );
    }
    for (const { object, base } of objectsOf(value)) {
      const at = positionIn(doc, lines, base);
      if (
        !isObject(object) ||
        typeof object.apiVersion !== 'string' ||
        typeof object.kind !== 'string'
      ) {
        throw new CliError(
          'OOS_ERR_NOT_AN_OBJECT',
          `${where(source, at([]))}: document ${index + 1} is not a Kubernetes object (it needs apiVersion and kind)`,
        );
      }
      manifests.push({ source, document: index + 1, object, position: at });
    }
  });
  return manifests;
}

/** Reads every manifest that `paths` name: files, directories (recursively, sorted) or `-`. */
export async function loadManifests(
  paths: readonly string[],
  io: ManifestSource,
): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      manifests.push(...parseManifests('-', await io.readStdin()));
      continue;
    }
    for (const file of await filesOf(path)) {
      manifests.push(...parseManifests(file, await readFile(file, 'utf8')));
    }
  }
  return manifests;
}
