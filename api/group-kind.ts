import { z } from 'zod';
import { DNS1123_SUBDOMAIN_MAX_LENGTH } from './formats.js';

/** A kind of object, identified by API group and kind (the group is empty for core kinds). */
export const groupKindSchema = z
  .object({
    group: z
      .string()
      .max(DNS1123_SUBDOMAIN_MAX_LENGTH)
      .default('')
      .describe('API group, e.g. apps or serving.kserve.io; empty for core kinds such as Pod.'),
    kind: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[A-Z][A-Za-z0-9]*$/)
      .describe('Kind in CamelCase, e.g. Deployment or InferenceService.'),
  })
  .describe('A kind of object: API group and kind.');

export type GroupKind = z.output<typeof groupKindSchema>;
