import { z } from 'zod';
import { stringMap } from './maps.js';

/** metav1.LabelSelector: all of matchLabels and matchExpressions must hold; empty selects everything. */

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

const labelKey = z.string().min(1).max(317);
const labelValue = z.string().max(63);

export const labelSelectorRequirementSchema = z
  .object({
    key: labelKey.describe('The label key the requirement applies to.'),
    operator: z
      .enum(SELECTOR_OPERATORS)
      .describe('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: z
      .array(labelValue)
      .max(64)
      .optional()
      .describe('Values for In and NotIn (non-empty); empty for Exists and DoesNotExist.'),
  })
  .describe('A label requirement: key, operator and values.');

export const labelSelectorSchema = z
  .object({
    matchLabels: stringMap(labelKey, labelValue, 32)
      .optional()
      .describe('Labels that must all be present with these values.'),
    matchExpressions: z
      .array(labelSelectorRequirementSchema)
      .max(16)
      .optional()
      .describe('Requirements that must all hold.'),
  })
  .describe('A label selector; an empty selector selects everything.');

export type LabelSelector = z.output<typeof labelSelectorSchema>;
