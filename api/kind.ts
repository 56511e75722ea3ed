import type { z } from 'zod';
import { CATEGORY, GROUP, VERSION } from './group.js';

/**
 * What the apiserver and kubectl need to know about a kind besides its schema: names, scope,
 * printer columns. The CRD generator reads nothing else.
 */

export type Scope = 'Namespaced' | 'Cluster';

/** One `additionalPrinterColumns` entry: what `kubectl get` shows. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple JSON path into the object, e.g. `.spec.autonomy`. */
  readonly jsonPath: string;
  readonly description: string;
  /** 0 shows in `kubectl get`, higher only with `-o wide`. */
  readonly priority?: number;
}

export interface KindDefinition<S extends z.ZodType = z.ZodType, K extends string = string> {
  readonly group: string;
  readonly version: string;
  readonly kind: K;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly scope: Scope;
  readonly printerColumns: readonly PrinterColumn[];
  /** Fields usable in `kubectl get --field-selector` (string, integer or boolean, outside lists). */
  readonly selectableFields: readonly string[];
  /** The whole object: apiVersion, kind, metadata, spec, status. */
  readonly schema: S;
}

export interface KindNames<S extends z.ZodType, K extends string> {
  readonly kind: K;
  readonly plural: string;
  readonly shortNames: readonly string[];
  readonly scope: Scope;
  readonly printerColumns: readonly PrinterColumn[];
  readonly selectableFields?: readonly string[];
  readonly schema: S;
}

/** A kind of the oos.dev/v1alpha1 API, in the `oos` category. */
export function defineKind<S extends z.ZodType, const K extends string>(
  names: KindNames<S, K>,
): KindDefinition<S, K> {
  return Object.freeze({
    group: GROUP,
    version: VERSION,
    kind: names.kind,
    listKind: `${names.kind}List`,
    plural: names.plural,
    singular: names.kind.toLowerCase(),
    shortNames: names.shortNames,
    categories: [CATEGORY],
    scope: names.scope,
    printerColumns: names.printerColumns,
    selectableFields: names.selectableFields ?? [],
    schema: names.schema,
  });
}

/** The Ready condition's status, the summary column of every kind. */
export const READY_COLUMN: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Whether the object does its job (the Ready condition).',
};

/** How long ago the object was created, the last column of every kind. */
export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since creation.',
};
