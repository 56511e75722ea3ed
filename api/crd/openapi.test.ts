import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { withRules } from '../cel.js';
import { dateTime } from '../formats.js';
import { CrdGenerationError } from './errors.js';
import { toStructuralSchema } from './openapi.js';

const problemsOf = (schema: z.ZodType): readonly string[] => {
  try {
    toStructuralSchema(schema);
  } catch (error) {
    if (error instanceof CrdGenerationError) return error.problems;
    throw error;
  }
  return [];
};

describe('toStructuralSchema', () => {
  it('gives every node an explicit type and keeps descriptions, bounds and defaults', () => {
    const schema = z.object({
      name: z.string().min(1).max(63).describe('A name.'),
      count: z.int().min(0).describe('A count.'),
      ratio: z.number().min(0).max(1).optional().describe('A ratio.'),
      enabled: z.boolean().default(true).describe('A switch.'),
      mode: z.enum(['A', 'B']).describe('A mode.'),
      tags: z.array(z.string().max(8)).max(4).optional().describe('Some tags.'),
    });
    expect(toStructuralSchema(schema)).toEqual({
      type: 'object',
      properties: {
        name: { description: 'A name.', type: 'string', minLength: 1, maxLength: 63 },
        count: { description: 'A count.', type: 'integer', minimum: 0 },
        ratio: { description: 'A ratio.', type: 'number', minimum: 0, maximum: 1 },
        enabled: { description: 'A switch.', type: 'boolean', default: true },
        mode: { description: 'A mode.', type: 'string', enum: ['A', 'B'] },
        tags: {
          description: 'Some tags.',
          type: 'array',
          maxItems: 4,
          items: { type: 'string', maxLength: 8 },
        },
      },
      required: ['name', 'count', 'mode'],
    });
  });

  it('types string maps and marks free-form objects to preserve unknown fields', () => {
    const schema = z.object({
      labels: z.record(z.string(), z.string()).describe('Labels.'),
      extra: z.record(z.string(), z.unknown()).describe('Anything.'),
      loose: z.looseObject({ a: z.string().describe('A.') }).describe('Open.'),
    });
    const props = toStructuralSchema(schema).properties;
    expect(props?.labels).toEqual({
      description: 'Labels.',
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(props?.extra).toEqual({
      description: 'Anything.',
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(props?.loose).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(JSON.stringify(props)).not.toContain('propertyNames');
  });

  it('leaves date-times to the apiserver format check and turns literals into enums', () => {
    const schema = z.object({
      at: dateTime().describe('When.'),
      v: z.literal('v1').describe('Version.'),
    });
    expect(toStructuralSchema(schema).properties).toEqual({
      at: { description: 'When.', type: 'string', format: 'date-time' },
      v: { description: 'Version.', type: 'string', enum: ['v1'] },
    });
  });

  it('carries CEL rules and list types through', () => {
    const schema = z.object({
      a: withRules(z.string().max(3), [
        { rule: "self != 'x'", message: 'not x', check: (v) => v !== 'x' },
      ]).describe('A.'),
    });
    expect(toStructuralSchema(schema).properties?.a?.['x-kubernetes-validations']).toEqual([
      { rule: "self != 'x'", message: 'not x' },
    ]);
  });

  it('refuses what a structural schema cannot say, naming every place', () => {
    const schema = z.object({
      either: z.union([z.string(), z.number()]).describe('Either.'),
      oneOfTwo: z
        .union([
          z.object({ a: z.string().describe('A.') }),
          z.object({ b: z.string().describe('B.') }),
        ])
        .describe('One of two.'),
      anything: z.unknown().describe('Anything.'),
      undescribed: z.string(),
      positive: z.number().positive().describe('Exclusive bound.'),
      mail: z.email().describe('Zod email format.'),
    });
    const problems = problemsOf(schema);
    expect(problems).toEqual(
      expect.arrayContaining([
        '.either: needs an explicit type (no unions, no unknown values)',
        '.oneOfTwo: unsupported keyword anyOf',
        '.anything: needs an explicit type (no unions, no unknown values)',
        '.undescribed: every field needs a description (.describe())',
        '.positive: unsupported keyword exclusiveMinimum',
        '.mail: format email is not one the apiserver checks like zod does',
      ]),
    );
  });

  it('refuses recursive schemas instead of emitting $ref', () => {
    interface Tree {
      children: Tree[];
    }
    const tree: z.ZodType<Tree> = z.object({
      children: z.array(z.lazy(() => tree)).describe('Children.'),
    });
    expect(() => toStructuralSchema(tree)).toThrow();
  });
});
