import { z } from 'zod';
import type { Rule } from './cel.js';
import { dateTime } from './formats.js';
import { API_VERSION } from './group.js';
import { listMap } from './lists.js';

/**
 * The parts every Kubernetes object shares: TypeMeta, ObjectMeta and status conditions
 * (`metav1.Condition`). ObjectMeta is validated by the apiserver itself; the CRD carries it as a
 * plain object and zod keeps unknown fields (managedFields, ownerReferences, ...).
 */

const stringMap = z.record(z.string(), z.string());

export const objectMetaSchema = z
  .looseObject({
    name: z.string().max(253).optional().describe('Name of the object, unique in its namespace.'),
    generateName: z
      .string()
      .max(253)
      .optional()
      .describe('Prefix from which the apiserver generates a name.'),
    namespace: z.string().max(63).optional().describe('Namespace of a namespaced object.'),
    uid: z.string().optional().describe('Unique identifier set by the apiserver.'),
    resourceVersion: z.string().optional().describe('Opaque version for optimistic concurrency.'),
    generation: z
      .int()
      .min(0)
      .optional()
      .describe('Sequence number of spec changes, set by the apiserver.'),
    creationTimestamp: dateTime().optional().describe('When the object was created.'),
    deletionTimestamp: dateTime().optional().describe('When deletion was requested.'),
    labels: stringMap.optional().describe('Labels of the object.'),
    annotations: stringMap.optional().describe('Annotations of the object.'),
    finalizers: z
      .array(z.string())
      .optional()
      .describe('Finalizers that must finish before deletion.'),
  })
  .describe('Standard object metadata.');

export type ObjectMeta = z.output<typeof objectMetaSchema>;

/** The condition every oos kind reports: a summary of whether the object does its job. */
export const CONDITION_READY = 'Ready';

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** metav1.Condition, as in upstream CRDs (same bounds and patterns). */
export const conditionSchema = z
  .object({
    type: z
      .string()
      .min(1)
      .max(316)
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
      )
      .describe('Type of the condition in CamelCase, e.g. Ready.'),
    status: z.enum(CONDITION_STATUSES).describe('Status of the condition: True, False or Unknown.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('Machine-readable reason for the last transition, in CamelCase.'),
    message: z
      .string()
      .max(32768)
      .optional()
      .describe('Human-readable message: what is wrong and how to fix it.'),
    lastTransitionTime: dateTime().describe('When the status last changed.'),
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation the condition was computed from.'),
  })
  .describe('One aspect of the observed state.');

export type Condition = z.output<typeof conditionSchema>;

/** Status fields every oos kind has; spread them into a status object. */
export const statusFields = {
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe('metadata.generation the controller last acted on.'),
  conditions: listMap(conditionSchema, ['type'], 16)
    .optional()
    .describe('Observed state as conditions; Ready summarises them.'),
};

/**
 * The whole object of one kind: TypeMeta, ObjectMeta, spec and optional status. `description`
 * becomes the CRD's top-level description, the first thing `kubectl explain <kind>` prints.
 */
export function resourceSchema<K extends string, Spec extends z.ZodType, Status extends z.ZodType>(
  kind: K,
  spec: Spec,
  status: Status,
  description: string,
) {
  return z
    .object({
      apiVersion: z.literal(API_VERSION).describe(`Always ${API_VERSION}.`),
      kind: z.literal(kind).describe(`Always ${kind}.`),
      metadata: objectMetaSchema,
      spec,
      status: status.optional(),
    })
    .describe(description);
}

/**
 * A rule on `metadata.name`, placed at the root of a kind (the only place CEL may read the name,
 * and a `fieldPath` cannot point there, so the message names the field). `check` sees the name
 * when there is one (objects built in code may have none yet).
 */
export function nameRule<T extends { readonly metadata: { readonly name?: string | undefined } }>(
  rule: string,
  message: string,
  check: (name: string) => boolean,
): Rule<T> {
  return {
    rule,
    message: `metadata.name ${message}`,
    check: (object) => object.metadata.name === undefined || check(object.metadata.name),
  };
}
