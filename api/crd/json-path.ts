import type { JSONSchemaProps } from './schema-props.js';

/**
 * Resolves the simple JSON paths of printer columns and selectable fields (`.spec.autonomy`,
 * `.status.conditions[?(@.type=="Ready")].status`) against a CRD schema, so the generator refuses
 * a column that would always print nothing.
 */

/** Fields the apiserver owns: the CRD schema only says `metadata` is an object. */
const METADATA_FIELDS: Record<string, JSONSchemaProps> = {
  '.metadata.name': { type: 'string' },
  '.metadata.namespace': { type: 'string' },
  '.metadata.creationTimestamp': { type: 'string', format: 'date-time' },
};

const SEGMENT = /\.([A-Za-z0-9_-]+)|\[[^\]]*\]/gy;

/** The schema of the field `jsonPath` reads, or undefined when the schema has no such field. */
export function schemaAt(root: JSONSchemaProps, jsonPath: string): JSONSchemaProps | undefined {
  const metadata = METADATA_FIELDS[jsonPath];
  if (metadata !== undefined) return metadata;
  let node = root;
  let consumed = 0;
  SEGMENT.lastIndex = 0;
  for (let match = SEGMENT.exec(jsonPath); match !== null; match = SEGMENT.exec(jsonPath)) {
    consumed = SEGMENT.lastIndex;
    const name = match[1];
    const next = name === undefined ? node.items : node.properties?.[name];
    if (next === undefined) return undefined;
    node = next;
  }
  return consumed === jsonPath.length && consumed > 0 ? node : undefined;
}
