import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AI_WORKLOAD_LABEL_VALUE,
  DEFAULT_ACCELERATOR_RESOURCES,
  DEFAULT_AI_IMAGE_PATTERNS,
  DEFAULT_CREDENTIAL_ENV_VARS,
  DEFAULT_CREDENTIAL_SOURCE_NAMES,
  LABEL_AI_WORKLOAD,
  LABEL_CAPABILITY,
} from '../../api/index.js';
import { CHANGES_SPEC_OR_LABELS, WORKLOAD_CANDIDATE } from '../../webhooks/registration.js';
import {
  BEGIN,
  CHART_DIR,
  chartValuesTable,
  END,
  README,
  tableIn,
  valueRows,
  valuesTable,
  withTable,
  type JsonSchema,
} from './values-table.js';

const schema = JSON.parse(
  readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'),
) as JsonSchema;
const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<
  string,
  unknown
>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every object schema with declared properties, with its path. */
function objectSchemas(node: JsonSchema, path = '(root)'): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = node.properties ? [[path, node]] : [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    found.push(...objectSchemas(child, `${path}.${name}`));
  }
  if (node.items) found.push(...objectSchemas(node.items, `${path}[]`));
  return found;
}

describe('the README values table', () => {
  it('is what `npm run docs:values` generates (run it on failure)', () => {
    expect(tableIn(readFileSync(README, 'utf8'))).toBe(chartValuesTable());
  });

  it('has one row per leaf, dotted keys, defaults from values.yaml and escaped pipes', () => {
    const small: JsonSchema = {
      type: 'object',
      properties: {
        a: { type: 'integer', description: 'A number.' },
        b: {
          type: 'object',
          properties: {
            c: { type: 'string', enum: ['x', 'y'], description: 'Either | or.' },
            d: { type: 'array', items: { type: 'string' }, description: 'Some.' },
            e: { type: 'object', additionalProperties: { type: 'string' }, description: 'M.' },
          },
        },
      },
    };
    expect(valueRows(small, { a: 1, b: { c: 'x', d: ['1', '2', '3', '4', '5'] } })).toEqual([
      { key: 'a', type: 'integer', default: '`1`', description: 'A number.' },
      { key: 'b.c', type: 'x \\| y', default: '`"x"`', description: 'Either | or.' },
      {
        key: 'b.d',
        type: 'list of string',
        default: '`["1", "2", "3", …]` (5)',
        description: 'Some.',
      },
      { key: 'b.e', type: 'map of string', default: '—', description: 'M.' },
    ]);
    expect(valuesTable(small, { a: 1 })).toContain('| `b.c` | x \\| y | — | Either \\| or. |');
  });

  it('is replaced between its markers, and only there', () => {
    const readme = `# x\n\n${BEGIN}\nold\n${END}\n\nafter\n`;
    const next = withTable(readme, '| new |\n');
    expect(next).toBe(`# x\n\n${BEGIN}\n| new |\n${END}\n\nafter\n`);
    expect(tableIn(next)).toBe('| new |\n');
    expect(() => withTable('# no markers\n', 'x')).toThrow(/markers/);
  });
});

describe('values.schema.json', () => {
  it('refuses unknown keys at every level (additionalProperties: false)', () => {
    const open = objectSchemas(schema)
      .filter(([, node]) => node.additionalProperties !== false)
      .map(([path]) => path);
    expect(open).toEqual([]);
  });

  it('describes every key', () => {
    const missing = valueRows(schema, values)
      .filter((row) => row.description === '')
      .map((row) => row.key);
    expect(missing).toEqual([]);
  });

  it('knows every key of values.yaml', () => {
    const unknown: string[] = [];
    const walk = (value: unknown, node: JsonSchema | undefined, path: string): void => {
      if (!isRecord(value) || node?.properties === undefined) return;
      for (const [key, child] of Object.entries(value)) {
        const childSchema = node.properties[key];
        if (childSchema === undefined) unknown.push(`${path}${key}`);
        else walk(child, childSchema, `${path}${key}.`);
      }
    };
    walk(values, schema, '');
    expect(unknown).toEqual([]);
  });

  it('mirrors the GovernancePolicy spec of the CRD (same fields, types and enums)', () => {
    const crd = parse(
      readFileSync(join(CHART_DIR, 'crds', 'oos.dev_governancepolicies.yaml'), 'utf8'),
    ) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: JsonSchema } } } }[] };
    };
    const fromCrd = crd.spec.versions[0]?.schema.openAPIV3Schema.properties.spec;
    const shape = (node: JsonSchema | undefined): unknown => ({
      type: node?.type,
      enum: node?.enum,
      properties:
        node?.properties &&
        Object.fromEntries(
          Object.entries(node.properties)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, child]) => [name, shape(child)]),
        ),
      items: node?.items && shape(node.items),
    });
    const inValues = schema.properties?.governancePolicy?.properties?.spec;
    expect(shape(inValues)).toEqual(shape(fromCrd));
  });
});

describe('the fallback policy', () => {
  const fallback = values.fallbackPolicy as Record<string, unknown>;

  it("detects AI workloads with the engine's built-in lists by default", () => {
    expect(fallback.acceleratorResources).toEqual(DEFAULT_ACCELERATOR_RESOURCES);
    expect(fallback.imagePatterns).toEqual(DEFAULT_AI_IMAGE_PATTERNS);
    expect(fallback.credentialEnvVars).toEqual(DEFAULT_CREDENTIAL_ENV_VARS);
    expect(fallback.credentialSourceNames).toEqual(DEFAULT_CREDENTIAL_SOURCE_NAMES);
    expect(fallback.resourceClaimsAreAI).toBe(true);
  });

  it('skips the updates the workload webhook skips (webhooks/registration.ts)', () => {
    const text = (template: string): string =>
      readFileSync(join(CHART_DIR, 'templates', template), 'utf8');
    expect(text('fallback-policy.yaml')).toContain(`expression: "${CHANGES_SPEC_OR_LABELS}"`);
    expect(text('webhooks.yaml')).toContain(`expression: "${WORKLOAD_CANDIDATE}"`);
  });

  it("checks the engine's labels", () => {
    const helpers = readFileSync(join(CHART_DIR, 'templates', '_helpers.tpl'), 'utf8');
    expect(helpers).toContain(`'${LABEL_CAPABILITY}' in l && l['${LABEL_CAPABILITY}'] != ''`);
    expect(helpers).toContain(
      `'${LABEL_AI_WORKLOAD}' in l && l['${LABEL_AI_WORKLOAD}'] == '${AI_WORKLOAD_LABEL_VALUE}'`,
    );
  });
});
