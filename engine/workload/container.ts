import { arrayAt, at, isRecord, stringAt } from '../json.js';
import { acceleratorCount } from './quantity.js';

/** A Secret or ConfigMap a container imports with `envFrom`. */
export interface EnvSource {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

/** What oos reads from one container (or container-like part of an AI kind). */
export interface ContainerView {
  readonly name: string;
  readonly image: string | undefined;
  readonly init: boolean;
  /** Names of `env[]` entries, and the keys of the Secrets or ConfigMaps they read. */
  readonly envNames: readonly string[];
  /** The Secrets and ConfigMaps `envFrom` imports whole (their keys are not in the object). */
  readonly envSources: readonly EnvSource[];
  /** Every resource named in requests or limits, with the larger of the two quantities. */
  readonly resources: ReadonlyMap<string, unknown>;
}

function resourcesOf(container: unknown): ReadonlyMap<string, unknown> {
  const resources = new Map<string, unknown>();
  for (const part of ['requests', 'limits'] as const) {
    const entries = at(container, 'resources', part);
    if (!isRecord(entries)) continue;
    for (const [name, quantity] of Object.entries(entries)) {
      const known = resources.get(name);
      if (known === undefined || acceleratorCount(quantity) > acceleratorCount(known)) {
        resources.set(name, quantity);
      }
    }
  }
  return resources;
}

function envNamesOf(container: unknown): string[] {
  const names: string[] = [];
  for (const entry of arrayAt(container, 'env')) {
    const name = stringAt(entry, 'name');
    if (name !== undefined) names.push(name);
    const key =
      stringAt(entry, 'valueFrom', 'secretKeyRef', 'key') ??
      stringAt(entry, 'valueFrom', 'configMapKeyRef', 'key');
    if (key !== undefined && key !== name) names.push(key);
  }
  return names;
}

function envSourcesOf(container: unknown): EnvSource[] {
  const sources: EnvSource[] = [];
  for (const entry of arrayAt(container, 'envFrom')) {
    const secret = stringAt(entry, 'secretRef', 'name');
    if (secret !== undefined) sources.push({ kind: 'Secret', name: secret });
    const configMap = stringAt(entry, 'configMapRef', 'name');
    if (configMap !== undefined) sources.push({ kind: 'ConfigMap', name: configMap });
  }
  return sources;
}

/** Reads a container; `fallbackName` names one that has no `name` (e.g. KServe's `model`). */
export function readContainer(value: unknown, init: boolean, fallbackName: string): ContainerView {
  return {
    name: stringAt(value, 'name') ?? fallbackName,
    image: stringAt(value, 'image'),
    init,
    envNames: envNamesOf(value),
    envSources: envSourcesOf(value),
    resources: resourcesOf(value),
  };
}
