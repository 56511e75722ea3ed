import { NODE_NETWORK } from './addresses.js';

/**
 * The node's NetworkPolicy enforcement: kube-router with only its firewall controller
 * (`--run-firewall`; no router, no service proxy, no CNI of its own), inside the node's network
 * namespace. Its iptables chains and ipsets are that namespace's, so they go with it on
 * `cluster:down` (docs/node.md).
 */

/** The identity of the firewall's client certificate; {@link firewallRbac} is all it may do. */
export const FIREWALL_USER = 'system:oos-node-firewall';

/** The chain every forwarded packet of the node's namespace passes through first once it runs. */
export const FIREWALL_FORWARD_CHAIN = 'KUBE-ROUTER-FORWARD';

/**
 * Read-only access to what kube-router's informers watch: it starts them all (Services,
 * Endpoints and EndpointSlices too) whichever controllers run, and waits for every cache to sync.
 */
export function firewallRbac(): string {
  const name = 'oos-node:firewall';
  const read = ['get', 'list', 'watch'];
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name },
          rules: [
            { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: read },
            { apiGroups: [''], resources: ['services', 'endpoints'], verbs: read },
            { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
            { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: FIREWALL_USER }],
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * kube-router's arguments: the firewall alone, IPv4 only, knowing the Service range (it lets
 * traffic to ClusterIPs through to kube-proxy's DNAT before judging the Pod it reaches), with no
 * listener of its own (health and metrics ports off) and a full resync every minute on top of
 * the event-driven ones.
 */
export function kubeRouterArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--hostname-override=${NODE_NETWORK.nodeName}`,
    '--run-firewall=true',
    '--run-router=false',
    '--run-service-proxy=false',
    '--run-loadbalancer=false',
    '--enable-cni=false',
    '--enable-ipv4=true',
    '--enable-ipv6=false',
    `--service-cluster-ip-range=${NODE_NETWORK.serviceCidr}`,
    '--health-port=0',
    '--metrics-port=0',
    '--iptables-sync-period=1m',
    '--v=1',
  ];
}
