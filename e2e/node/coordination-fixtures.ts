import {
  API_VERSION,
  capabilitySchema,
  coordinationSchema,
  type Capability,
  type Coordination,
} from '../../api/index.js';
import { EGRESS_PEER } from '../../controlplane/node/addresses.js';
import {
  desiredNetworkPolicy,
  interactionGraph,
  networkPolicyName,
  type ManagedNetworkPolicy,
} from '../../engine/coordination/index.js';
import { PEER_PORT, PROBE_PORT } from './policy-support.js';

/**
 * The coordination story the node's tests enforce, as real API objects: invoice-triage (in
 * `triage`) calls fraud-scoring (in `scoring`) on the probe's port, and reaches one destination
 * outside the cluster, the egress peer's first address, through the GovernancePolicy's catalogue.
 * The NetworkPolicies come from engine/coordination's desiredNetworkPolicy, the function the
 * controller writes them with: the node proves that what oos would write holds.
 */

export const SCORING = 'scoring';
export const TRIAGE = 'triage';
export const CALLER = 'invoice-triage';
export const CALLEE = 'fraud-scoring';
/** The accountable roles: each side's consent is its own role's. */
export const CALLER_ROLE = 'accounts-payable-lead';
export const CALLEE_ROLE = 'credit-risk-officer';
/** The catalogue entry invoice-triage names: the peer's first address only. */
export const PEER_ENDPOINT = 'peer-api';

const [ALLOWED, OTHER] = EGRESS_PEER.addresses;
/** The peer address the catalogue lists, and the one nobody declares. */
export const DECLARED_DESTINATION = ALLOWED;
export const UNDECLARED_DESTINATION = OTHER;

/** The GovernancePolicy's `spec.coordination`: Closed, with the peer in the catalogue. */
export const closedCoordination = (): Coordination =>
  coordinationSchema.parse({
    posture: 'Closed',
    endpoints: [
      {
        name: PEER_ENDPOINT,
        description: 'A service outside the cluster (the e2e test’s own network namespace).',
        cidrs: [`${DECLARED_DESTINATION}/32`],
        ports: [{ port: PEER_PORT }],
      },
    ],
  });

function capability(
  namespace: string,
  name: string,
  role: string,
  interactions: object,
): Capability {
  return capabilitySchema.parse({
    apiVersion: API_VERSION,
    kind: 'Capability',
    metadata: { name, namespace },
    spec: {
      description: `${name}, as in samples/40-capabilities.yaml.`,
      intendedUse: 'The node’s NetworkPolicy e2e tests.',
      accountableRole: role,
      autonomy: 'Advisory',
      riskTier: 'Limited',
      delegationRequired: false,
      boundaries: { allowedImages: ['oos.local/probe:*'], maxReplicas: 2 },
      interactions,
    },
  });
}

/** Which side declares the edge: both (agreed), or only the caller (waiting for the callee). */
export interface Story {
  readonly calleeAccepts: boolean;
  readonly callerDeclaresEgress: boolean;
}

export function storyCapabilities(story: Story): Capability[] {
  const ports = [{ port: PROBE_PORT }];
  return [
    capability(TRIAGE, CALLER, CALLER_ROLE, {
      calls: [
        { namespace: SCORING, capability: CALLEE, ports, justification: 'Scores bank details.' },
      ],
      ...(story.callerDeclaresEgress
        ? {
            egress: [
              { name: 'peer', endpoint: PEER_ENDPOINT, justification: 'The contracted service.' },
            ],
          }
        : {}),
    }),
    capability(
      SCORING,
      CALLEE,
      CALLEE_ROLE,
      story.calleeAccepts
        ? {
            acceptsFrom: [
              { namespace: TRIAGE, capability: CALLER, ports, justification: 'Agreed by the CRO.' },
            ],
          }
        : {},
    ),
  ];
}

/** The NetworkPolicies oos owns for the story under a Closed policy, one per capability. */
export function storyPolicies(story: Story): ManagedNetworkPolicy[] {
  const capabilities = storyCapabilities(story);
  const graph = interactionGraph(capabilities, closedCoordination());
  return capabilities.map((c) => {
    const policy = desiredNetworkPolicy(graph, `${c.metadata.namespace}/${c.metadata.name}`);
    if (policy === undefined) throw new Error(`no NetworkPolicy for Closed ${c.metadata.name}`);
    return policy;
  });
}

export { networkPolicyName };
