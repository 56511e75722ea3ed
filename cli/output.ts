import type { CheckResult } from './check.js';

/** `ALLOW`, `WARN` (allowed with warnings) or `DENY`. */
export function verdictOf(result: CheckResult): 'ALLOW' | 'WARN' | 'DENY' {
  if (!result.allowed) return 'DENY';
  return result.warnings.length > 0 ? 'WARN' : 'ALLOW';
}

function objectName(result: CheckResult): string {
  const name = result.name ?? '(unnamed)';
  return result.namespace === undefined ? name : `${result.namespace}/${name}`;
}

/**
 * One line per object: `DENY  Deployment ml/vllm  AnchorMissing: <message>`. Warnings other than
 * the message itself follow it in parentheses.
 */
export function formatText(results: readonly CheckResult[]): string {
  return results
    .map((result) => {
      const extra = result.warnings.filter((warning) => warning !== result.message);
      const warnings = extra.length === 0 ? '' : ` (warning: ${extra.join(' ')})`;
      return `${verdictOf(result).padEnd(5)} ${result.kind} ${objectName(result)}  ${result.reason}: ${result.message}${warnings}`;
    })
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * A JSON array of {kind, apiVersion, namespace, name, allowed, reason, message, warnings, chain,
 * mode, detection, source, interactions}; namespace and name are null when the object has none.
 */
export function formatJson(results: readonly CheckResult[]): string {
  const rows = results.map((result) => ({
    ...result,
    namespace: result.namespace ?? null,
    name: result.name ?? null,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
