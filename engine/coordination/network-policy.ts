import type { Client, LabelSelector, Port } from '../../api/index.js';
import { LABEL_CAPABILITY } from '../../api/index.js';
import { NAMESPACE_NAME_LABEL } from '../policy.js';
import type { CapabilityNode, InteractionGraph } from './graph.js';
import { sortedPorts } from './ports.js';
import { compareText } from '../text.js';

/**
 * The NetworkPolicy oos owns for a capability whose posture is Closed: its Pods (those carrying
 * the capability's label in its namespace) reach only DNS, the callees of their agreed edges and
 * their declared destinations, and are reached only by the callers of their agreed edges and by
 * their declared clients. Deterministic, so the controller can compare it with what is stored.
 */

/** Every NetworkPolicy oos owns carries this label with {@link MANAGED_BY_VALUE}. */
export const LABEL_MANAGED_BY = 'oos.dev/managed-by';
export const MANAGED_BY_VALUE = 'oos';

/** The capability a managed NetworkPolicy isolates. */
export const LABEL_INTERACTIONS_OF = 'oos.dev/interactions-of';

/** Where the cluster's DNS runs: the convention CoreDNS and kube-dns share. */
export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };
const DNS_PORTS: readonly Port[] = [
  { port: 53, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
];

/** The name of the NetworkPolicy oos owns for a capability. */
export function networkPolicyName(capability: string): string {
  return `oos-interactions-${capability}`;
}

interface NetworkPolicyPort {
  readonly port: number;
  readonly protocol: string;
}

interface NetworkPolicyPeer {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string };
}

/** networking.k8s.io/v1 NetworkPolicy, the fields oos writes. */
export interface ManagedNetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes: readonly ['Ingress', 'Egress'];
    readonly ingress?: readonly { from: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }[];
    readonly egress?: readonly { to: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }[];
  };
}

function inNamespace(namespace: string, podSelector: LabelSelector): NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector };
}

function podsOf(key: string): NetworkPolicyPeer {
  const [namespace = '', name = ''] = key.split('/');
  return inNamespace(namespace, { matchLabels: { [LABEL_CAPABILITY]: name } });
}

/** A client's Pods, never those of a capability: AI callers need an agreed edge. */
function clientPods(client: Client): NetworkPolicyPeer {
  return inNamespace(client.namespace, {
    ...(client.podSelector.matchLabels === undefined
      ? {}
      : { matchLabels: client.podSelector.matchLabels }),
    matchExpressions: [
      ...(client.podSelector.matchExpressions ?? []),
      { key: LABEL_CAPABILITY, operator: 'DoesNotExist' },
    ],
  });
}

function ports(list: readonly Port[]): NetworkPolicyPort[] {
  return sortedPorts(list).map((p) => ({ port: p.port, protocol: p.protocol }));
}

/**
 * The NetworkPolicy oos owns for the capability `namespace/name`, or undefined when its posture is
 * Open (or it is not in the graph): then oos owns none for it.
 */
export function desiredNetworkPolicy(
  graph: InteractionGraph,
  key: string,
): ManagedNetworkPolicy | undefined {
  const node: CapabilityNode | undefined = graph.nodes.get(key);
  if (node?.posture !== 'Closed') return undefined;
  // Only this capability's own edges: building every policy of the graph stays linear.
  const agreed = (graph.edgesOf.get(key) ?? []).filter((edge) => edge.state === 'Agreed');
  const ingress = [
    ...agreed
      .filter((edge) => edge.callee === key)
      .map((edge) => ({ from: [podsOf(edge.caller)], ports: ports(edge.ports) })),
    ...[...node.clients]
      .sort((a, b) => compareText(a.name, b.name))
      .map((client) => ({ from: [clientPods(client)], ports: ports(client.ports) })),
  ];
  const egress = [
    {
      to: [inNamespace(DNS_NAMESPACE, { matchLabels: { ...DNS_POD_LABELS } })],
      ports: ports(DNS_PORTS),
    },
    ...agreed
      .filter((edge) => edge.caller === key)
      .map((edge) => ({ to: [podsOf(edge.callee)], ports: ports(edge.ports) })),
    ...node.entries
      .filter((entry) => entry.direction === 'Egress' && entry.state === 'Agreed')
      .map((entry) => ({
        to: (entry.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
        ports: ports(entry.ports),
      })),
  ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: networkPolicyName(node.name),
      namespace: node.namespace,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY_VALUE, [LABEL_INTERACTIONS_OF]: node.name },
    },
    spec: {
      podSelector: { matchLabels: { [LABEL_CAPABILITY]: node.name } },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length === 0 ? {} : { ingress }),
      egress,
    },
  };
}
