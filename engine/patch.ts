import type { JsonPatchOperation } from './input.js';
import { isRecord } from './json.js';

function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Applies `add`, `replace` and `remove` operations on object members to a copy of `document`
 * (what the apiserver does with the mutating webhook's patch; the CLI replays it offline).
 * Returns undefined when an operation's parent does not exist.
 */
export function applyPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  const copy: unknown = structuredClone(document);
  for (const operation of operations) {
    const parts = segments(operation.path);
    const last = parts.pop();
    let parent: unknown = copy;
    for (const part of parts) parent = isRecord(parent) ? parent[part] : undefined;
    if (!isRecord(parent) || last === undefined) return undefined;
    const target = parent as Record<string, unknown>;
    if (operation.op === 'remove') Reflect.deleteProperty(target, last);
    else target[last] = operation.value;
  }
  return copy;
}
