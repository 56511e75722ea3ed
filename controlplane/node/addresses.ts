/**
 * The address plan of the local worker node: every address it uses, once. All of them lie in
 * 198.18.0.0/15, the range RFC 2544 sets aside for benchmarking network devices, which no real
 * network routes; they exist only on the veth pair and inside the network namespace that
 * `cluster:up -- --node` creates, and the host's routes for the Pod and Service ranges lead
 * into that namespace (docs/node.md).
 */
export const NODE_NETWORK = Object.freeze({
  /** The network namespace the node's kubelet, kube-proxy, containerd and Pods live in. */
  netns: 'oos-node',
  /** The veth end on the host; the apiserver binds its address. */
  hostLink: 'oos-node-host',
  /** The veth end inside the namespace; it holds the node IP. */
  nodeLink: 'oos-node-eth0',
  /** /30 of the veth pair. */
  linkPrefix: 30,
  hostAddress: '198.18.0.1',
  nodeAddress: '198.18.0.2',
  /** The node's Pods (CNI bridge + host-local). */
  podCidr: '198.18.64.0/24',
  podGateway: '198.18.64.1',
  podBridge: 'oos-cni0',
  /** ClusterIPs; the first one is the `kubernetes` Service. */
  serviceCidr: '198.18.96.0/24',
  kubernetesServiceIp: '198.18.96.1',
  /** The Node object's name, and the cgroup every Pod of the node runs under. */
  nodeName: 'oos-node',
  cgroupRoot: 'oos-node',
  /** The CNI network's name (it prefixes the runtime's cached CNI results). */
  cniNetwork: 'oos-node',
});

/** The ranges the host routes into the node's namespace. */
export const ROUTED_RANGES: readonly string[] = [NODE_NETWORK.podCidr, NODE_NETWORK.serviceCidr];

/**
 * A destination outside the cluster for the node's e2e tests of egress policies: a network
 * namespace the test creates, joined to the node's namespace by a veth pair, with two addresses
 * on its far end (one a policy allows, one it does not). Pods reach it through the node's
 * namespace (it routes the /29) and nothing else; `cluster:down` removes it by its name.
 */
export const EGRESS_PEER = Object.freeze({
  netns: 'oos-node-peer',
  /** The veth end inside the node's namespace. */
  nodeLink: 'oos-peer',
  /** The veth end inside the peer's namespace. */
  peerLink: 'oos-peer-eth0',
  prefix: 29,
  nodeAddress: '198.18.80.1',
  /** The two destinations; the peer serves on both. */
  addresses: ['198.18.80.2', '198.18.80.3'] as const,
});
