import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineKind } from '../kind.js';
import { resourceSchema } from '../meta.js';
import { KINDS } from '../registry.js';
import { buildCrd, danglingPaths } from './crd.js';
import { CrdGenerationError } from './errors.js';
import type { JSONSchemaProps } from './schema-props.js';

/** Every schema node of a CRD with its path. */
function* nodes(schema: JSONSchemaProps, path = ''): Generator<[string, JSONSchemaProps]> {
  yield [path, schema];
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    yield* nodes(child, `${path}.${name}`);
  if (schema.items) yield* nodes(schema.items, `${path}[]`);
  if (schema.additionalProperties) yield* nodes(schema.additionalProperties, `${path}.*`);
}

describe.each(KINDS.map((k) => [k.kind, k] as const))('the CRD of %s', (_kind, definition) => {
  const crd = buildCrd(definition);
  const [version] = crd.spec.versions;
  const schema = version?.schema.openAPIV3Schema ?? {};
  const all = [...nodes(schema)];

  it('is one served and stored v1alpha1 version with a status subresource, in the oos category', () => {
    expect(crd.metadata.name).toBe(`${definition.plural}.oos.dev`);
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({
      name: 'v1alpha1',
      served: true,
      storage: true,
      subresources: { status: {} },
    });
    expect(crd.spec.names.categories).toEqual(['oos']);
    expect(crd.spec.names.singular).toBe(definition.kind.toLowerCase());
  });

  it('leaves metadata, apiVersion and kind to the apiserver and requires spec', () => {
    expect(schema.properties?.metadata).toEqual({ type: 'object' });
    expect(schema.properties?.apiVersion?.type).toBe('string');
    expect(schema.properties?.apiVersion?.enum).toBeUndefined();
    expect(schema.required).toEqual(['spec']);
  });

  it('is structural: an explicit type everywhere, no references or unions', () => {
    for (const [path, node] of all) {
      expect(
        node.type ?? (node['x-kubernetes-preserve-unknown-fields'] ? 'free-form' : undefined),
        path,
      ).toBeDefined();
    }
    const text = JSON.stringify(schema);
    for (const keyword of [
      '$ref',
      'anyOf',
      'oneOf',
      'allOf',
      '"not"',
      'additionalProperties":false',
    ]) {
      expect(text).not.toContain(keyword);
    }
  });

  it('describes every field, so kubectl explain teaches the API', () => {
    for (const [path, node] of all) {
      if (path.endsWith('[]') || path.endsWith('.*') || path === '.metadata') continue;
      expect(node.description, path).toBeTruthy();
    }
  });

  it('bounds every list and string, so CEL cost estimates stay low', () => {
    for (const [path, node] of all) {
      if (node.type === 'array') expect(node.maxItems, path).toBeTypeOf('number');
      const unbounded =
        node.type === 'string' && node.maxLength === undefined && node.enum === undefined;
      if (unbounded && node.format !== 'date-time' && path.startsWith('.spec')) {
        expect.fail(`${path} is an unbounded string`);
      }
    }
  });

  it('has printer columns and selectable fields that read existing fields, ending with Age', () => {
    expect(danglingPaths(definition, schema)).toEqual([]);
    expect(version?.additionalPrinterColumns.at(-1)?.name).toBe('Age');
  });
});

describe('buildCrd', () => {
  it('refuses a printer column that reads a field the schema does not have', () => {
    const schema = resourceSchema(
      'Thing',
      z.object({ a: z.string().max(3).describe('A.') }).describe('Spec.'),
      z.object({}).describe('Status.'),
      'A thing.',
    );
    const broken = defineKind({
      kind: 'Thing',
      plural: 'things',
      shortNames: [],
      scope: 'Namespaced',
      schema,
      selectableFields: ['.spec.b'],
      printerColumns: [
        { name: 'A', type: 'integer', jsonPath: '.spec.a', description: 'Wrong type.' },
        {
          name: 'Ready',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Ready")].status',
          description: 'Missing.',
        },
      ],
    });
    expect(() => buildCrd(broken)).toThrow(CrdGenerationError);
    expect(() => buildCrd(broken)).toThrow(/printer column A: \.spec\.a is not a integer field/);
    expect(() => buildCrd(broken)).toThrow(/printer column Ready/);
    expect(() => buildCrd(broken)).toThrow(/selectable field \.spec\.b/);
  });
});
