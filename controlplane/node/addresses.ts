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
