import { describe, expect, it } from 'vitest';
import { NODE_NETWORK } from './addresses.js';
import {
  cniConfig,
  containerdConfig,
  kubeletConfig,
  kubeProxyConfig,
  PAUSE_IMAGE,
  type NodePaths,
} from './configs.js';

const root = '/tmp/cluster/node';
const paths: NodePaths = {
  root,
  binDir: '/cache/node/bin',
  caCert: '/tmp/cluster/pki/ca.crt',
  containerdRoot: `${root}/containerd/root`,
  containerdState: `${root}/containerd/state`,
  containerdSocket: `${root}/containerd/containerd.sock`,
  cniConfDir: `${root}/cni/net.d`,
  cniDataDir: `${root}/cni/ipam`,
  kubeletRoot: `${root}/kubelet`,
  podLogs: `${root}/pods`,
  kubeletCert: `${root}/pki/kubelet.crt`,
  kubeletKey: `${root}/pki/kubelet.key`,
};

/** Every absolute path a config names: all must be ours, so cluster:down finds what they make. */
const absolutePaths = (text: string): string[] =>
  [...text.matchAll(/"(\/[^"]*)"/g)].map((m) => m[1] ?? '').filter((p) => !p.startsWith('/oos-'));

const ours = (p: string): boolean =>
  p.startsWith(`${root}/`) ||
  p.startsWith(paths.binDir) ||
  p === paths.caCert ||
  p === '/etc/resolv.conf';

describe('containerd config', () => {
  const config = containerdConfig(paths);

  it('restricts oom_score_adj (the VM lacks CAP_SYS_RESOURCE) and pins the imported sandbox image', () => {
    expect(config).toMatch(
      /^\[plugins\.'io\.containerd\.cri\.v1\.runtime'\]\n {2}restrict_oom_score_adj = true$/m,
    );
    expect(config).toContain(`sandbox = "${PAUSE_IMAGE}"`);
    expect(config).toContain("snapshotter = 'overlayfs'");
    expect(config).toContain('SystemdCgroup = false');
  });

  it('keeps every path under the node directory or its binaries, pod namespaces included', () => {
    expect(absolutePaths(config).length).toBeGreaterThan(5);
    expect(absolutePaths(config).filter((p) => !ours(p))).toEqual([]);
    expect(config).toContain('netns_mounts_under_state_dir = true');
    expect(config).toContain(`Root = "${paths.containerdState}/runc"`);
  });
});

describe('kubelet config', () => {
  const config = JSON.parse(kubeletConfig(paths)) as Record<string, unknown>;

  it('runs on cgroup v1 through cgroupfs under its own cgroup, with swap, and never collects images', () => {
    expect(config).toMatchObject({
      cgroupDriver: 'cgroupfs',
      cgroupRoot: `/${NODE_NETWORK.cgroupRoot}`,
      failCgroupV1: false,
      failSwapOn: false,
      imageGCHighThresholdPercent: 100,
    });
  });

  it('serves its API on the node address to certificates of the cluster CA only', () => {
    expect(config).toMatchObject({
      address: NODE_NETWORK.nodeAddress,
      readOnlyPort: 0,
      authentication: { anonymous: { enabled: false }, x509: { clientCAFile: paths.caCert } },
    });
    expect(absolutePaths(kubeletConfig(paths)).filter((p) => !ours(p))).toEqual([]);
  });
});

describe('kube-proxy config', () => {
  const config = JSON.parse(kubeProxyConfig('/k.kubeconfig')) as {
    mode: string;
    clusterCIDR: string;
    conntrack: Record<string, unknown>;
  };

  it('uses iptables for the node’s Pod range and leaves the host-wide conntrack settings alone', () => {
    expect(config.mode).toBe('iptables');
    expect(config.clusterCIDR).toBe(NODE_NETWORK.podCidr);
    expect(Object.values(config.conntrack).every((v) => v === 0 || v === '0s')).toBe(true);
  });
});

describe('CNI config', () => {
  it('puts Pods on one bridge in the Pod range, unmasqueraded, with host-local state under the node', () => {
    const config = JSON.parse(cniConfig(paths)) as {
      name: string;
      plugins: {
        type: string;
        ipMasq?: boolean;
        ipam?: { dataDir: string; ranges: { subnet: string }[][] };
      }[];
    };
    expect(config.name).toBe(NODE_NETWORK.cniNetwork);
    expect(config.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    const bridge = config.plugins[0];
    expect(bridge?.ipMasq).toBe(false);
    expect(bridge?.ipam?.ranges[0]?.[0]?.subnet).toBe(NODE_NETWORK.podCidr);
    expect(bridge?.ipam?.dataDir).toBe(paths.cniDataDir);
  });
});
