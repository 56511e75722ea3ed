import type { z } from 'zod';

/**
 * zod issues written the way the apiserver writes field errors (`spec.holders[0].user: ...`), so
 * the offline CLI and the webhook speak like kubectl does.
 */

/** `['spec', 'holders', 0, 'user']` → `spec.holders[0].user`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

/** One line per issue: `<field path>: <message>` (just the message at the root). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = fieldPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}

/** The problems zod finds in `value`, one line each; empty when it is valid. */
export function validationErrors(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : describeIssues(result.error);
}
