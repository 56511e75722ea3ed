import { z } from 'zod';
import { CrdGenerationError } from './errors.js';
import type { JSONSchemaProps } from './schema-props.js';

/**
 * zod → structural OpenAPI v3 (what a CRD's `openAPIV3Schema` must be): every node has an explicit
 * `type`, no `$ref`, no `anyOf`/`oneOf`/`allOf`/`not`, no `additionalProperties: false`, free-form
 * objects marked `x-kubernetes-preserve-unknown-fields`. zod's own JSON Schema output is the
 * input; anything this cannot map faithfully is an error, never silently dropped.
 */

/** Keys copied as they are, in this order (the order the CRD YAML shows them in). */
const SCALAR_KEYS = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;

const EXTENSION_KEYS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-validations',
] as const;

/** Keys zod emits that carry nothing the apiserver needs. */
const IGNORED_KEYS = new Set(['$schema', 'propertyNames']);

const STRUCTURE_KEYS = new Set([
  'properties',
  'required',
  'items',
  'additionalProperties',
  'const',
]);

const KNOWN_KEYS = new Set<string>([
  ...SCALAR_KEYS,
  ...EXTENSION_KEYS,
  ...IGNORED_KEYS,
  ...STRUCTURE_KEYS,
]);

/** Formats the apiserver checks itself; zod's `pattern` twin of them is dropped. */
const NATIVE_FORMATS = new Set(['date-time']);

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Converter {
  readonly problems: string[] = [];

  node(json: unknown, path: string): JSONSchemaProps {
    if (!isObject(json)) {
      this.problems.push(`${path}: expected a schema object`);
      return {};
    }
    for (const key of Object.keys(json)) {
      if (!KNOWN_KEYS.has(key)) this.problems.push(`${path}: unsupported keyword ${key}`);
    }
    const out: Json = {};
    for (const key of SCALAR_KEYS) if (json[key] !== undefined) out[key] = json[key];
    if (json.const !== undefined) out.enum = [json.const];
    this.structure(json, out, path);
    for (const key of EXTENSION_KEYS) if (json[key] !== undefined) out[key] = json[key];
    this.tidy(out, path);
    return out;
  }

  private structure(json: Json, out: Json, path: string): void {
    const { properties, required, items, additionalProperties } = json;
    if (items !== undefined) out.items = this.node(items, `${path}[]`);
    if (properties !== undefined) {
      if (!isObject(properties)) {
        this.problems.push(`${path}: properties must be an object`);
      } else {
        out.properties = Object.fromEntries(
          Object.entries(properties).map(([name, child]) => [
            name,
            this.property(child, `${path}.${name}`),
          ]),
        );
      }
    }
    if (Array.isArray(required) && required.length > 0) out.required = required;
    if (isObject(additionalProperties)) {
      if (Object.keys(additionalProperties).length === 0) {
        out['x-kubernetes-preserve-unknown-fields'] = true;
      } else {
        out.additionalProperties = this.node(additionalProperties, `${path}.*`);
      }
    } else if (additionalProperties !== undefined && additionalProperties !== false) {
      this.problems.push(`${path}: additionalProperties must be a schema or false`);
    }
  }

  private property(json: unknown, path: string): JSONSchemaProps {
    const out = this.node(json, path);
    if (out.description === undefined || out.description.trim() === '') {
      this.problems.push(`${path}: every field needs a description (.describe())`);
    }
    return out;
  }

  private tidy(out: Json, path: string): void {
    const type = out.type;
    if (typeof type !== 'string' || !TYPES.has(type)) {
      if (out['x-kubernetes-preserve-unknown-fields'] !== true) {
        this.problems.push(`${path}: needs an explicit type (no unions, no unknown values)`);
      }
    }
    if (type === 'integer') {
      if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
      if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    }
    if (typeof out.format === 'string') {
      if (NATIVE_FORMATS.has(out.format)) delete out.pattern;
      else
        this.problems.push(
          `${path}: format ${out.format} is not one the apiserver checks like zod does`,
        );
    }
  }
}

/** The structural OpenAPI v3 schema of a zod schema; throws {@link CrdGenerationError}. */
export function toStructuralSchema(schema: z.ZodType): JSONSchemaProps {
  const json: unknown = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  });
  const converter = new Converter();
  const out = converter.node(json, '');
  if (converter.problems.length > 0) {
    throw new CrdGenerationError('the schema is not structural', converter.problems);
  }
  return out;
}
