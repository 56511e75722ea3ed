import { describe, expect, it } from 'vitest';
import { NODE_NETWORK } from './addresses.js';
import { FIREWALL_USER, firewallRbac, kubeRouterArgs } from './firewall.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Item {
  kind: string;
  rules?: Rule[];
  subjects?: { kind: string; name: string }[];
  roleRef?: { kind: string; name: string };
  metadata: { name: string };
}

describe('the node firewall (kube-router)', () => {
  const args = kubeRouterArgs('/tmp/cluster/node/firewall.kubeconfig');
  const flag = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

  it('runs the firewall alone: no router (BGP), no service proxy, no load balancer, no CNI', () => {
    expect(flag('run-firewall')).toBe('true');
    for (const off of ['run-router', 'run-service-proxy', 'run-loadbalancer', 'enable-cni']) {
      expect(flag(off)).toBe('false');
    }
  });

  it('opens no port, logs below the level that prints Node annotations, and knows the node', () => {
    expect(flag('health-port')).toBe('0');
    expect(flag('metrics-port')).toBe('0');
    expect(Number(flag('v'))).toBeLessThan(2);
    expect(flag('hostname-override')).toBe(NODE_NETWORK.nodeName);
    expect(flag('service-cluster-ip-range')).toBe(NODE_NETWORK.serviceCidr);
    expect(flag('kubeconfig')).toBe('/tmp/cluster/node/firewall.kubeconfig');
  });

  it('may only read, and only its own identity holds the role', () => {
    const items = (JSON.parse(firewallRbac()) as { items: Item[] }).items;
    const role = items.find((i) => i.kind === 'ClusterRole');
    const binding = items.find((i) => i.kind === 'ClusterRoleBinding');
    const verbs = new Set(role?.rules?.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(role?.rules?.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(role?.rules?.flatMap((r) => r.resources)).toContain('networkpolicies');
    expect(binding?.roleRef).toMatchObject({ kind: 'ClusterRole', name: role?.metadata.name });
    expect(binding?.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: FIREWALL_USER },
    ]);
  });
});
