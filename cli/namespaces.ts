import { CliError } from './errors.js';
import type { Manifest } from './manifests.js';

export type NamespaceLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

function stringEntries(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
}

/** Labels of the Namespace objects found among manifests (they choose the enforcement mode). */
export function namespaceLabelsOf(
  manifests: readonly Manifest[],
): Map<string, Record<string, string>> {
  const labels = new Map<string, Record<string, string>>();
  for (const { object } of manifests) {
    if (object.apiVersion !== 'v1' || object.kind !== 'Namespace') continue;
    const metadata = object.metadata as { name?: unknown; labels?: unknown } | undefined;
    if (typeof metadata?.name !== 'string') continue;
    labels.set(metadata.name, Object.fromEntries(stringEntries(metadata.labels)));
  }
  return labels;
}

/**
 * Parses `--namespace-labels` values, `namespace=key=value` (several labels: `ns=k1=v1,k2=v2`),
 * into labels per namespace.
 */
export function parseNamespaceLabels(values: readonly string[]): NamespaceLabels {
  const result = new Map<string, Record<string, string>>();
  for (const value of values) {
    const split = value.indexOf('=');
    const namespace = value.slice(0, split);
    const pairs = split < 0 ? [] : value.slice(split + 1).split(',');
    const parsed = pairs.map((pair) => pair.split('='));
    if (
      namespace === '' ||
      parsed.length === 0 ||
      parsed.some((p) => p.length !== 2 || p[0] === '')
    ) {
      throw new CliError(
        'OOS_ERR_USAGE',
        `--namespace-labels ${JSON.stringify(value)}: expected namespace=key=value (several labels: namespace=k1=v1,k2=v2)`,
      );
    }
    const labels = result.get(namespace) ?? {};
    for (const [key, label] of parsed) labels[key ?? ''] = label ?? '';
    result.set(namespace, labels);
  }
  return result;
}

/** `base` with the labels of `overrides` added, overriding labels with the same key. */
export function mergeNamespaceLabels(
  base: NamespaceLabels,
  overrides: NamespaceLabels,
): NamespaceLabels {
  const result = new Map<string, Readonly<Record<string, string>>>(base);
  for (const [namespace, labels] of overrides) {
    result.set(namespace, { ...base.get(namespace), ...labels });
  }
  return result;
}
