import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { withRules } from './cel.js';
import { validationErrors } from './issues.js';

const range = z.object({ from: z.number(), to: z.number() }).describe('A range.');

describe('withRules', () => {
  const ordered = withRules(range, [
    {
      rule: 'self.to > self.from',
      message: 'to must be after from',
      fieldPath: '.to',
      check: (value) => value.to > value.from,
    },
    { rule: 'self == oldSelf', message: 'is immutable', reason: 'FieldValueForbidden' },
  ]);

  it('enforces each check in zod, at the path the CEL fieldPath names', () => {
    expect(validationErrors(ordered, { from: 1, to: 2 })).toEqual([]);
    expect(validationErrors(ordered, { from: 2, to: 1 })).toEqual(['to: to must be after from']);
  });

  it('leaves transition rules (no check) to the apiserver', () => {
    expect(validationErrors(ordered, { from: 5, to: 6 })).toEqual([]);
  });

  it('carries every rule to x-kubernetes-validations and keeps the description', () => {
    expect(ordered.meta()).toEqual({
      description: 'A range.',
      'x-kubernetes-validations': [
        { rule: 'self.to > self.from', message: 'to must be after from', fieldPath: '.to' },
        { rule: 'self == oldSelf', message: 'is immutable', reason: 'FieldValueForbidden' },
      ],
    });
  });

  it('appends to the rules a schema already has', () => {
    const twice = withRules(ordered, [
      { rule: 'self.from >= 0', message: 'from is not negative', check: (v) => v.from >= 0 },
    ]);
    expect(twice.meta()?.['x-kubernetes-validations']?.map((r) => r.rule)).toEqual([
      'self.to > self.from',
      'self == oldSelf',
      'self.from >= 0',
    ]);
    expect(validationErrors(twice, { from: -2, to: -1 })).toEqual(['from is not negative']);
  });
});
