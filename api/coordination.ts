import { z } from 'zod';
import { AUTONOMY_LEVELS, RISK_TIERS } from './capability.js';
import { withRules } from './cel.js';
import { cidr, dns1123Label, positiveDuration, text } from './formats.js';
import { DEFAULT_POSTURE, portList, POSTURES } from './interactions.js';
import { listMap, listSet } from './lists.js';

/**
 * The coordination layer, on the GovernancePolicy's side: whether AI workloads are isolated by
 * default, the catalogue of destinations outside the cluster, the classes of edges nobody may
 * declare, and how long one side may wait for the other before its role is asked to answer.
 */

/** How long a declared edge may wait for the other side before an escalation asks the role. */
export const DEFAULT_MAX_PENDING = '72h';

export const endpointSchema = z
  .object({
    name: dns1123Label().describe('The name capabilities use in egress[].endpoint.'),
    description: text(1024).describe('What the destination is, e.g. an outside model provider.'),
    cidrs: listSet(cidr(), 32, 1).describe('Its address ranges.'),
    ports: portList(1).describe('Its ports.'),
  })
  .describe('A named destination outside the cluster.');

export const capabilityClassSchema = z
  .object({
    autonomy: listSet(z.enum(AUTONOMY_LEVELS), 3)
      .optional()
      .describe('Autonomy levels of the class; unset: any.'),
    riskTiers: listSet(z.enum(RISK_TIERS), 3)
      .optional()
      .describe('Risk tiers of the class; unset: any.'),
  })
  .describe(
    'Capabilities by autonomy and risk tier; both lists must match, an unset one matches all.',
  );

export const edgeTargetSchema = capabilityClassSchema
  .extend({
    external: z
      .boolean()
      .optional()
      .describe(
        'true: the edge is any destination outside the cluster (egress), not a capability.',
      ),
  })
  .describe(
    'The called side of a forbidden edge: a class of capabilities, or outside the cluster.',
  );

export const forbiddenEdgeSchema = z
  .object({
    name: dns1123Label().describe('A name for the rule, unique in the list.'),
    from: capabilityClassSchema.describe('The calling capabilities.'),
    to: withRules(edgeTargetSchema, [
      {
        rule: '!(has(self.external) && self.external) || (!has(self.autonomy) && !has(self.riskTiers))',
        message:
          'external: true names every destination outside the cluster: no autonomy or riskTiers with it',
        check: (to) =>
          to.external !== true || (to.autonomy === undefined && to.riskTiers === undefined),
      },
    ]),
    reason: text(1024).describe('Why the organisation forbids such edges; shown in every refusal.'),
  })
  .describe('A class of edges no capability may declare.');

export const coordinationSchema = z
  .object({
    posture: z
      .enum(POSTURES)
      .default(DEFAULT_POSTURE)
      .describe(
        "Open: AI workloads are not isolated; their declared edges are recorded and checked. Closed: every capability's Pods reach only DNS, their agreed edges and declared destinations, and are reached only over agreed edges and by declared clients (enforced by NetworkPolicies the controller owns).",
      ),
    endpoints: listMap(endpointSchema, ['name'], 64)
      .optional()
      .describe('The catalogue of destinations outside the cluster capabilities may name.'),
    forbiddenEdges: listMap(forbiddenEdgeSchema, ['name'], 32)
      .optional()
      .describe('Classes of edges refused at admission and never enforced.'),
    maxPending: positiveDuration()
      .default(DEFAULT_MAX_PENDING)
      .describe(
        'How long one side of an edge may wait for the other before an escalation asks the role that must answer.',
      ),
  })
  .describe('The coordination layer: which AI capabilities may talk to which, and how.');

export type Endpoint = z.output<typeof endpointSchema>;
export type CapabilityClass = z.output<typeof capabilityClassSchema>;
export type EdgeTarget = z.output<typeof edgeTargetSchema>;
export type ForbiddenEdge = z.output<typeof forbiddenEdgeSchema>;
export type Coordination = z.output<typeof coordinationSchema>;
