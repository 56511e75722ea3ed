import { NODE_NETWORK } from './addresses.js';

/** Where the node keeps its state, all under one directory (`<cluster dir>/node`). */
export interface NodePaths {
  readonly root: string;
  readonly binDir: string;
  readonly caCert: string;
  readonly containerdRoot: string;
  readonly containerdState: string;
  readonly containerdSocket: string;
  readonly cniConfDir: string;
  readonly cniDataDir: string;
  readonly kubeletRoot: string;
  readonly podLogs: string;
  readonly kubeletCert: string;
  readonly kubeletKey: string;
}

export const PAUSE_IMAGE = 'oos.local/pause:1';
/** The runtime's namespace the CRI plugin (so the kubelet) reads images from. */
export const CRI_NAMESPACE = 'k8s.io';

const toml = (value: string): string => JSON.stringify(value);

/**
 * containerd v2 (config version 3) with only what the node needs: the CRI plugin on runc from the
 * node's bin directory, overlayfs, a sandbox image that is imported, never pulled, and every path
 * under the node's directory (so `cluster:down` finds everything it made).
 */
export function containerdConfig(p: NodePaths): string {
  const runtime = "plugins.'io.containerd.cri.v1.runtime'";
  return [
    'version = 3',
    `root = ${toml(p.containerdRoot)}`,
    `state = ${toml(p.containerdState)}`,
    '',
    '[grpc]',
    `  address = ${toml(p.containerdSocket)}`,
    '',
    "[plugins.'io.containerd.internal.v1.opt']",
    `  path = ${toml(`${p.containerdRoot}/opt`)}`,
    '',
    "[plugins.'io.containerd.nri.v1.nri']",
    '  disable = true',
    '',
    "[plugins.'io.containerd.cri.v1.images']",
    "  snapshotter = 'overlayfs'",
    '',
    "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
    `  sandbox = ${toml(PAUSE_IMAGE)}`,
    '',
    `[${runtime}]`,
    // The VM's bounding set lacks CAP_SYS_RESOURCE: without this, runc fails to start a
    // sandbox whose oom_score_adj is below the runtime's own.
    '  restrict_oom_score_adj = true',
    // Pod network namespaces are mounted under the state directory, not /var/run/netns.
    '  netns_mounts_under_state_dir = true',
    '',
    `[${runtime}.containerd]`,
    "  default_runtime_name = 'runc'",
    '',
    `[${runtime}.containerd.runtimes.runc]`,
    "  runtime_type = 'io.containerd.runc.v2'",
    '',
    `[${runtime}.containerd.runtimes.runc.options]`,
    `  BinaryName = ${toml(`${p.binDir}/runc`)}`,
    // runc's state, which defaults to /run/containerd/runc.
    `  Root = ${toml(`${p.containerdState}/runc`)}`,
    '  SystemdCgroup = false',
    '',
    `[${runtime}.cni]`,
    `  bin_dirs = [${toml(p.binDir)}]`,
    `  conf_dir = ${toml(p.cniConfDir)}`,
    '  max_conf_num = 1',
    '',
  ].join('\n');
}

/** One bridge on the node holds the Pod range; traffic leaves unmasqueraded (the host routes it back). */
export function cniConfig(p: NodePaths): string {
  const n = NODE_NETWORK;
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: n.cniNetwork,
      plugins: [
        {
          type: 'bridge',
          bridge: n.podBridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: p.cniDataDir,
            ranges: [[{ subnet: n.podCidr, gateway: n.podGateway }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * The kubelet's static configuration: cgroup v1 through cgroupfs under one cgroup of our own,
 * swap tolerated, image garbage collection off (images cannot be pulled again), x509-only access
 * to its API with the cluster's CA, and its listeners on the node address or the namespace's
 * loopback.
 */
export function kubeletConfig(p: NodePaths): string {
  return `${JSON.stringify(
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      address: NODE_NETWORK.nodeAddress,
      port: 10250,
      readOnlyPort: 0,
      healthzBindAddress: '127.0.0.1',
      healthzPort: 10248,
      tlsCertFile: p.kubeletCert,
      tlsPrivateKeyFile: p.kubeletKey,
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: false },
        x509: { clientCAFile: p.caCert },
      },
      // Only holders of a certificate of the cluster's CA reach this API, only from the node's
      // network (docs/node.md): the apiserver for logs and exec, and the node itself.
      authorization: { mode: 'AlwaysAllow' },
      containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
      cgroupDriver: 'cgroupfs',
      cgroupRoot: `/${NODE_NETWORK.cgroupRoot}`,
      cgroupsPerQOS: true,
      enforceNodeAllocatable: ['pods'],
      failCgroupV1: false,
      failSwapOn: false,
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      evictionHard: {
        'memory.available': '100Mi',
        'nodefs.available': '1%',
        'imagefs.available': '1%',
        'nodefs.inodesFree': '1%',
      },
      podLogsDir: p.podLogs,
      resolvConf: '/etc/resolv.conf',
      serializeImagePulls: false,
      rotateCertificates: false,
      serverTLSBootstrap: false,
      registerNode: true,
    },
    null,
    2,
  )}\n`;
}

/**
 * kube-proxy in iptables mode inside the node's namespace. Conntrack settings of 0 leave the
 * kernel's values alone: `nf_conntrack_max` and its timeouts are not per namespace here.
 */
export function kubeProxyConfig(kubeconfig: string): string {
  return `${JSON.stringify(
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
      clientConnection: { kubeconfig },
      hostnameOverride: NODE_NETWORK.nodeName,
      clusterCIDR: NODE_NETWORK.podCidr,
      healthzBindAddress: '127.0.0.1:10256',
      metricsBindAddress: '127.0.0.1:10249',
      nodePortAddresses: [`${NODE_NETWORK.nodeAddress}/32`],
      conntrack: {
        maxPerCore: 0,
        min: 0,
        tcpEstablishedTimeout: '0s',
        tcpCloseWaitTimeout: '0s',
        udpTimeout: '0s',
        udpStreamTimeout: '0s',
      },
      iptables: { syncPeriod: '10s', minSyncPeriod: '1s' },
    },
    null,
    2,
  )}\n`;
}
