import { createHash } from 'node:crypto';
import type { ExemptionSpec } from '../api/index.js';
import { compareText } from './text.js';

/** What an approver reviews and approves of an Exemption; the approval is bound to it. */
export type ExemptionContent = Pick<
  ExemptionSpec,
  'scope' | 'capability' | 'justification' | 'expiresAt'
>;

/** JSON with object keys sorted and undefined members left out, so equal content reads alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => compareText(a, b));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `sha256:<hex>` of the content an approver reviews: scope, capability, justification and
 * expiresAt, as the api/ schema reads them. An approval counts only while `approvedDigest`
 * equals the digest of the exemption's content.
 */
export function exemptionDigest(spec: ExemptionContent): string {
  const content = {
    scope: spec.scope,
    capability: spec.capability,
    justification: spec.justification,
    expiresAt: spec.expiresAt,
  };
  return `sha256:${createHash('sha256').update(canonical(content)).digest('hex')}`;
}
