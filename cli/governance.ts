import { describeIssues, fieldPath, findKind, GROUP, type KindDefinition } from '../api/index.js';
import { splitApiVersion, type GovernanceObjects } from '../engine/index.js';
import { CliError, where } from './errors.js';
import type { Manifest } from './manifests.js';

/** Which field of the engine's input each oos kind fills. */
export const GOVERNANCE_FIELDS: Readonly<Record<string, keyof GovernanceObjects>> = {
  AccountableRole: 'roles',
  Capability: 'capabilities',
  Delegation: 'delegations',
  EscalationPolicy: 'escalationPolicies',
  Escalation: 'escalations',
  Exemption: 'exemptions',
  GovernancePolicy: 'policies',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first field of `input` the schema dropped: zod strips unknown fields silently, so a field
 * present in the input and absent from the parsed output is one the schema does not know.
 */
export function unknownField(
  input: unknown,
  output: unknown,
  path: PropertyKey[] = [],
): PropertyKey[] | undefined {
  if (Array.isArray(input) && Array.isArray(output)) {
    for (const [index, item] of input.entries()) {
      const found = unknownField(item, output[index], [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(input) || !isObject(output)) return undefined;
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(output, key)) return [...path, key];
    const found = unknownField(value, output[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** `Delegation ml/fraud (document 2)`: how input errors name an object. */
export function describeManifest(manifest: Manifest): string {
  const metadata = manifest.object.metadata;
  const name =
    isObject(metadata) && typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const namespace =
    isObject(metadata) && typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return `${String(manifest.object.kind)} ${namespace}${name} (document ${manifest.document})`;
}

/** Whether a manifest is an object of the oos.dev API group. */
export function isOosObject(manifest: Manifest): boolean {
  return splitApiVersion(String(manifest.object.apiVersion)).group === GROUP;
}

/** The object with the namespace kubectl would give it: `default` for a namespaced kind without one. */
export function withDefaultNamespace(
  object: Readonly<Record<string, unknown>>,
  namespaced: boolean,
): Record<string, unknown> {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  if (!namespaced || typeof metadata.namespace === 'string') return { ...object };
  return { ...object, metadata: { ...metadata, namespace: 'default' } };
}

/**
 * Validates an oos object against its api/ schema, refusing unknown fields as the apiserver's
 * strict field validation does. Throws a {@link CliError} naming file, position and document.
 */
export function validateOosObject(manifest: Manifest): {
  definition: KindDefinition;
  object: unknown;
} {
  const definition = findKind(String(manifest.object.kind));
  const { version } = splitApiVersion(String(manifest.object.apiVersion));
  if (definition?.version !== version) {
    throw new CliError(
      'OOS_ERR_UNKNOWN_KIND',
      `${where(manifest.source, manifest.position(['kind']))}: ${describeManifest(manifest)}: oos.dev has no kind ${String(manifest.object.kind)} in version ${version}`,
    );
  }
  const input = withDefaultNamespace(manifest.object, definition.scope === 'Namespaced');
  const parsed = definition.schema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const text = describeIssues(parsed.error).slice(0, 5).join('; ');
    throw new CliError(
      'OOS_ERR_INVALID_OBJECT',
      `${where(manifest.source, manifest.position(first?.path ?? []))}: ${describeManifest(manifest)} is not a valid ${definition.kind}: ${text}`,
    );
  }
  const unknown = unknownField(input, parsed.data);
  if (unknown !== undefined) {
    throw new CliError(
      'OOS_ERR_UNKNOWN_FIELD',
      `${where(manifest.source, manifest.position(unknown))}: ${describeManifest(manifest)}: unknown field ${fieldPath(unknown)}`,
    );
  }
  return { definition, object: parsed.data };
}

/** The governance objects among manifests, validated; everything else is ignored. */
export function governanceObjects(manifests: readonly Manifest[]): GovernanceObjects {
  const objects: Record<keyof GovernanceObjects, unknown[]> = {
    roles: [],
    capabilities: [],
    delegations: [],
    escalationPolicies: [],
    escalations: [],
    exemptions: [],
    policies: [],
  };
  for (const manifest of manifests.filter(isOosObject)) {
    const { definition, object } = validateOosObject(manifest);
    const field = GOVERNANCE_FIELDS[definition.kind];
    if (field !== undefined) objects[field].push(object);
  }
  return objects as GovernanceObjects;
}
