import type { KindDefinition, PrinterColumn, Scope } from '../kind.js';
import { schemaAt } from './json-path.js';
import { CrdGenerationError } from './errors.js';
import { toStructuralSchema } from './openapi.js';
import type { JSONSchemaProps } from './schema-props.js';

/** One entry of a CRD's `spec.versions`. */
export interface CrdVersion {
  name: string;
  served: true;
  storage: true;
  subresources: { status: Record<string, never> };
  additionalPrinterColumns: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
  schema: { openAPIV3Schema: JSONSchemaProps };
}

/** apiextensions.k8s.io/v1 CustomResourceDefinition, as much of it as oos writes. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: Scope;
    versions: CrdVersion[];
  };
}

/** Root fields the apiserver owns: a CRD may only say they are there. */
const ROOT_FIELDS: Record<string, JSONSchemaProps> = {
  apiVersion: {
    description:
      'APIVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    type: 'string',
  },
  kind: {
    description:
      'Kind is a string value representing the REST resource this object represents. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    type: 'string',
  },
  metadata: { type: 'object' },
};

/** The `openAPIV3Schema` of a kind: its zod schema, with the root fields the apiserver owns. */
export function openAPIV3Schema(definition: KindDefinition): JSONSchemaProps {
  const schema = toStructuralSchema(definition.schema);
  return {
    ...schema,
    properties: { ...schema.properties, ...ROOT_FIELDS },
    required: (schema.required ?? []).filter((name) => !(name in ROOT_FIELDS)),
  };
}

function columnMatches(column: PrinterColumn, field: JSONSchemaProps): boolean {
  if (column.type === 'date') return field.type === 'string' && field.format === 'date-time';
  return field.type === column.type;
}

/** Printer columns and selectable fields that read fields the schema does not have (or not so typed). */
export function danglingPaths(definition: KindDefinition, schema: JSONSchemaProps): string[] {
  const problems: string[] = [];
  for (const column of definition.printerColumns) {
    const field = schemaAt(schema, column.jsonPath);
    if (field === undefined || !columnMatches(column, field)) {
      problems.push(
        `printer column ${column.name}: ${column.jsonPath} is not a ${column.type} field`,
      );
    }
  }
  for (const path of definition.selectableFields) {
    const field = schemaAt(schema, path);
    const scalar =
      field?.type === 'string' || field?.type === 'integer' || field?.type === 'boolean';
    if (!scalar || path.includes('[')) {
      problems.push(`selectable field ${path} is not a string, integer or boolean outside lists`);
    }
  }
  return problems;
}

/** The CustomResourceDefinition of a kind; throws {@link CrdGenerationError}. */
export function buildCrd(definition: KindDefinition): CustomResourceDefinition {
  const schema = openAPIV3Schema(definition);
  const problems = danglingPaths(definition, schema);
  if (problems.length > 0) {
    throw new CrdGenerationError(
      `${definition.kind}: columns or fields that read nothing`,
      problems,
    );
  }
  const version: CrdVersion = {
    name: definition.version,
    served: true,
    storage: true,
    subresources: { status: {} },
    additionalPrinterColumns: [...definition.printerColumns],
    ...(definition.selectableFields.length > 0
      ? { selectableFields: definition.selectableFields.map((jsonPath) => ({ jsonPath })) }
      : {}),
    schema: { openAPIV3Schema: schema },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${definition.plural}.${definition.group}`,
      labels: { 'app.kubernetes.io/part-of': 'oos' },
    },
    spec: {
      group: definition.group,
      names: {
        kind: definition.kind,
        listKind: definition.listKind,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: [...definition.shortNames],
        categories: [...definition.categories],
      },
      scope: definition.scope,
      versions: [version],
    },
  };
}
