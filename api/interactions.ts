import { z } from 'zod';
import { withRules } from './cel.js';
import { cidr, dateTime, dns1123Label, text } from './formats.js';
import { listMap, listSet } from './lists.js';
import { labelSelectorSchema } from './selector.js';

/**
 * The coordination layer, on the Capability's side: whom its workloads call, whom they accept
 * calls from, and which destinations outside the cluster they reach. An edge between two
 * capabilities exists only when both sides declare it (the caller in `calls`, the callee in
 * `acceptsFrom`): each side is part of its capability's spec, so each is changed only by a
 * current holder of that capability's accountable role, a governance admin or a trusted applier.
 */

/** Transport protocols a NetworkPolicy port names. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * `Open`: oos writes no NetworkPolicy, edges are recorded and checked only. `Closed`: the
 * capability's Pods reach only DNS, the agreed edges and their declared destinations, and are
 * reached only over agreed edges and by their declared clients.
 */
export const POSTURES = ['Open', 'Closed'] as const;
export type Posture = (typeof POSTURES)[number];

export const DEFAULT_POSTURE: Posture = 'Open';

export const portSchema = z
  .object({
    port: z.int().min(1).max(65535).describe('The port number.'),
    protocol: z.enum(PROTOCOLS).default('TCP').describe('TCP (default), UDP or SCTP.'),
  })
  .describe('A port and its protocol.');

/** A list of ports, unique by port and protocol. */
export function portList(minItems: number) {
  return listMap(portSchema, ['port', 'protocol'], 32, minItems);
}

const justification = text(1024).describe(
  'Why this interaction is needed, in the words of the role that answers for it.',
);

export const callSchema = z
  .object({
    namespace: dns1123Label().describe('Namespace of the capability called.'),
    capability: dns1123Label().describe('Name of the capability called.'),
    ports: portList(1).describe('The ports of the callee the caller connects to.'),
    justification,
  })
  .describe(
    "A capability this capability's workloads call. Agreed only while the callee's acceptsFrom names this capability too.",
  );

export const acceptSchema = z
  .object({
    namespace: dns1123Label().describe('Namespace of the calling capability.'),
    capability: dns1123Label().describe('Name of the calling capability.'),
    ports: portList(0)
      .optional()
      .describe(
        'The only ports the caller may use; unset accepts the ports the caller declares. A call on a port not listed here is not agreed.',
      ),
    justification,
  })
  .describe("A capability whose workloads may call this capability's workloads.");

export const clientSchema = z
  .object({
    name: dns1123Label().describe('A name for these clients, unique in the list.'),
    namespace: dns1123Label().describe('Namespace of the clients.'),
    podSelector: labelSelectorSchema.describe(
      'The client Pods, by their labels. Pods of a capability never match: AI callers need an agreed edge.',
    ),
    ports: portList(1).describe('The ports the clients may connect to.'),
    justification,
  })
  .describe(
    'Workloads that are not AI (a web front end, a batch job) allowed to call this capability. Only the callee consents: the clients have no accountable role.',
  );

export const egressSchema = withRules(
  z
    .object({
      name: dns1123Label().describe('A name for this destination, unique in the list.'),
      endpoint: dns1123Label()
        .optional()
        .describe(
          "Name of an endpoint in the GovernancePolicy's coordination.endpoints catalogue (its CIDRs and ports apply).",
        ),
      cidrs: listSet(cidr(), 16, 1)
        .optional()
        .describe('Destination address ranges, e.g. 203.0.113.0/24, when no endpoint is named.'),
      ports: portList(1).optional().describe('Destination ports, required with cidrs.'),
      justification,
    })
    .describe('A destination outside the cluster that workloads of the capability may reach.'),
  [
    {
      rule: 'has(self.endpoint) != has(self.cidrs)',
      message: 'name exactly one of endpoint (from the catalogue) and cidrs',
      check: (egress) => (egress.endpoint === undefined) !== (egress.cidrs === undefined),
    },
    {
      rule: '!has(self.cidrs) || has(self.ports)',
      message: 'cidrs need ports: name the destination ports',
      fieldPath: '.ports',
      check: (egress) => egress.cidrs === undefined || egress.ports !== undefined,
    },
    {
      rule: '!has(self.endpoint) || !has(self.ports)',
      message: "an endpoint brings its own ports from the catalogue: don't list ports with it",
      fieldPath: '.ports',
      check: (egress) => egress.endpoint === undefined || egress.ports === undefined,
    },
  ],
);

export const interactionsSchema = z
  .object({
    posture: z
      .enum(POSTURES)
      .optional()
      .describe(
        "Closed isolates this capability's workloads even where the GovernancePolicy's posture is Open; a capability can never be Open under a Closed policy. Unset: the policy's posture.",
      ),
    calls: listMap(callSchema, ['namespace', 'capability'], 64)
      .optional()
      .describe('Capabilities this capability calls.'),
    acceptsFrom: listMap(acceptSchema, ['namespace', 'capability'], 64)
      .optional()
      .describe('Capabilities allowed to call this capability.'),
    clients: listMap(clientSchema, ['name'], 16)
      .optional()
      .describe('Workloads that are not AI allowed to call this capability.'),
    egress: listMap(egressSchema, ['name'], 32)
      .optional()
      .describe('Destinations outside the cluster this capability reaches.'),
  })
  .describe(
    'Which capabilities this one may talk to, agreed by both accountable roles, and where it may reach outside the cluster.',
  );

/** How an interaction stands, as the controller last saw it. */
export const INTERACTION_STATES = [
  'Agreed',
  'WaitingForPeer',
  'PortsNotAccepted',
  'PeerNotFound',
  'Forbidden',
] as const;
export type InteractionState = (typeof INTERACTION_STATES)[number];

/** Which side of an interaction a status entry describes. */
export const INTERACTION_DIRECTIONS = ['Calls', 'AcceptsFrom', 'Egress'] as const;
export type InteractionDirection = (typeof INTERACTION_DIRECTIONS)[number];

export const interactionStatusSchema = z
  .object({
    direction: z
      .enum(INTERACTION_DIRECTIONS)
      .describe(
        'Calls (this capability calls peer), AcceptsFrom (peer calls this one) or Egress (a destination outside the cluster).',
      ),
    peer: z
      .string()
      .min(1)
      .max(253)
      .describe('The other capability as namespace/name, or the name of the egress entry.'),
    state: z
      .enum(INTERACTION_STATES)
      .describe(
        'Agreed (both sides declare it; enforced where the posture is Closed), WaitingForPeer (the other side does not declare it), PortsNotAccepted (the callee accepts other ports), PeerNotFound (no such capability or catalogue endpoint) or Forbidden (a forbiddenEdges entry of the GovernancePolicy).',
      ),
    since: dateTime().optional().describe('When the interaction entered this state (RFC 3339).'),
    message: text(1024).optional().describe('What is missing, and who must act.'),
  })
  .describe('One declared interaction and how it stands.');

export type Port = z.output<typeof portSchema>;
export type Call = z.output<typeof callSchema>;
export type Accept = z.output<typeof acceptSchema>;
export type Client = z.output<typeof clientSchema>;
export type Egress = z.output<typeof egressSchema>;
export type Interactions = z.output<typeof interactionsSchema>;
export type InteractionStatus = z.output<typeof interactionStatusSchema>;
