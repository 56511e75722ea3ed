import type { z } from 'zod';
import type { CelValidation } from './kube-meta.js';

/**
 * A validation rule written twice, side by side so the two cannot drift apart: as CEL for the
 * apiserver (`x-kubernetes-validations`) and as a TypeScript predicate for zod, so the engine and
 * the offline CLI refuse exactly what the cluster refuses.
 */
export interface Rule<T> extends CelValidation {
  /**
   * The same rule in TypeScript: true when the value is valid. Omitted only for transition rules
   * (they read `oldSelf`), which need the stored object and so only the apiserver can check.
   */
  readonly check?: (value: T) => boolean;
}

/** A CEL string literal holding `value` (single-quoted, with `\` and `'` escaped). */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL list literal of strings, e.g. `['a', 'b']`. */
export function celList(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}

/** A rule that a string matches `pattern` (RE2 and ECMAScript read it alike: keep it simple). */
export function matchesRule(pattern: string, message: string): Rule<string> {
  const regex = new RegExp(pattern);
  return {
    rule: `self.matches(${celString(pattern)})`,
    message,
    check: (value) => regex.test(value),
  };
}

/** `.a.b` (a CEL `fieldPath`) as a zod issue path. */
function issuePath(fieldPath: string | undefined): string[] {
  return fieldPath === undefined ? [] : fieldPath.split('.').filter((part) => part.length > 0);
}

function toValidation(rule: CelValidation): CelValidation {
  return {
    rule: rule.rule,
    message: rule.message,
    ...(rule.fieldPath === undefined ? {} : { fieldPath: rule.fieldPath }),
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
  };
}

/**
 * Attaches rules to a schema: each `check` becomes a zod refinement, each rule an
 * `x-kubernetes-validations` entry (appended to any the schema already has).
 */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly Rule<z.output<S>>[]): S {
  const existing = schema.meta();
  let refined = schema;
  for (const rule of rules) {
    const { check } = rule;
    if (check === undefined) continue;
    refined = refined.refine((value) => check(value), {
      message: rule.message,
      path: issuePath(rule.fieldPath),
    });
  }
  return refined.meta({
    ...existing,
    'x-kubernetes-validations': [
      ...(existing?.['x-kubernetes-validations'] ?? []),
      ...rules.map(toValidation),
    ],
  });
}
