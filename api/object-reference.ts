import { z } from 'zod';
import { DNS1123_LABEL_MAX_LENGTH, DNS1123_SUBDOMAIN_MAX_LENGTH } from './formats.js';

/** A reference to any object, by apiVersion, kind, namespace and name. */
export const objectReferenceSchema = z
  .object({
    apiVersion: z
      .string()
      .min(1)
      .max(DNS1123_SUBDOMAIN_MAX_LENGTH)
      .describe('apiVersion of the object, e.g. apps/v1 or oos.dev/v1alpha1.'),
    kind: z.string().min(1).max(63).describe('Kind of the object, e.g. Deployment.'),
    namespace: z
      .string()
      .max(DNS1123_LABEL_MAX_LENGTH)
      .optional()
      .describe('Namespace of the object; unset for cluster-scoped objects.'),
    name: z.string().min(1).max(DNS1123_SUBDOMAIN_MAX_LENGTH).describe('Name of the object.'),
  })
  .describe('A reference to an object.');

export type ObjectReference = z.output<typeof objectReferenceSchema>;
