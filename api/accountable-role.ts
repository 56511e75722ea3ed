import { z } from 'zod';
import { dateTime, email, humanUsername, text } from './formats.js';
import { AGE_COLUMN, defineKind, READY_COLUMN } from './kind.js';
import { listMap, listSet } from './lists.js';
import { resourceSchema, statusFields } from './meta.js';

/** The four things the accountability layer absorbs and a machine never can. */
export const RESPONSIBILITIES = ['Legal', 'Strategic', 'Risk', 'Ethical'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const holderSchema = z
  .object({
    name: text(128).describe('Full name of the person, e.g. Alice Martin.'),
    email: email().describe(
      'Email address where the person is reached when escalations route to this role.',
    ),
    user: humanUsername().describe(
      'Kubernetes username that authentication gives this person (what `kubectl auth whoami` prints). Never a ServiceAccount, never a system: identity, never a group.',
    ),
    attestedUntil: dateTime().describe(
      "Until when the person's oversight training and authority for this role are attested (RFC 3339, e.g. 2026-12-31T23:59:59Z). After it the person is no longer a current holder.",
    ),
  })
  .describe('A natural person who holds the role.');

export const accountableRoleSpecSchema = z
  .object({
    title: text(128).describe('Human-readable title of the role, e.g. Head of Credit Risk.'),
    description: text(2048).optional().describe('What the role is accountable for, in prose.'),
    responsibilities: listSet(z.enum(RESPONSIBILITIES), RESPONSIBILITIES.length, 1).describe(
      'What the role answers for: any of Legal, Strategic, Risk and Ethical.',
    ),
    holders: listMap(holderSchema, ['user'], 32)
      .default([])
      .describe(
        'The people who hold the role, unique by user. A holder is current while attestedUntil has not passed; with no current holder the role is vacant and the AI it anchors stops being admitted.',
      ),
  })
  .describe('Who answers for the AI anchored to this role.');

export const accountableRoleStatusSchema = z
  .object({
    ...statusFields,
    currentHolders: z
      .int()
      .min(0)
      .optional()
      .describe('How many holders are current (attestation not lapsed).'),
    vacant: z.boolean().optional().describe('True when no holder is current.'),
    nextAttestationExpiry: dateTime()
      .optional()
      .describe('When the earliest attestation of a current holder lapses.'),
  })
  .describe('Observed state of the role, written by the oos controller.');

export const accountableRoleSchema = resourceSchema(
  'AccountableRole',
  accountableRoleSpecSchema,
  accountableRoleStatusSchema,
  'AccountableRole is a role held by people, where accountability for AI stays human. Capabilities name the role they are anchored to; the role persists while people change.',
);

export type Holder = z.output<typeof holderSchema>;
export type AccountableRoleSpec = z.output<typeof accountableRoleSpecSchema>;
export type AccountableRoleStatus = z.output<typeof accountableRoleStatusSchema>;
export type AccountableRole = z.output<typeof accountableRoleSchema>;

export const accountableRoleKind = defineKind({
  kind: 'AccountableRole',
  plural: 'accountableroles',
  shortNames: ['arole'],
  scope: 'Cluster',
  schema: accountableRoleSchema,
  printerColumns: [
    { name: 'Title', type: 'string', jsonPath: '.spec.title', description: 'Title of the role.' },
    {
      name: 'Current Holders',
      type: 'integer',
      jsonPath: '.status.currentHolders',
      description: 'Holders whose attestation has not lapsed.',
    },
    {
      name: 'Vacant',
      type: 'boolean',
      jsonPath: '.status.vacant',
      description: 'No current holder.',
    },
    READY_COLUMN,
    AGE_COLUMN,
  ],
});
