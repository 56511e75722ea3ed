import { describe, expect, it } from 'vitest';
import { mutatingConfiguration, validatingConfiguration } from './registration.js';

const options = {
  name: 'oos',
  target: { url: 'https://127.0.0.1:9443/' },
  caBundle: 'PEM',
  operatorNamespace: 'oos-system',
  operatorUser: 'system:serviceaccount:oos-system:oos',
};

interface Webhook {
  name: string;
  clientConfig: { url?: string; caBundle: string; service?: { path: string } };
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  matchPolicy: string;
  namespaceSelector: { matchExpressions: { values: string[] }[] };
  matchConditions?: { name: string; expression: string }[];
  rules: { resources: string[]; operations: string[] }[];
}
const webhooks = (config: Record<string, unknown>): Webhook[] => config.webhooks as Webhook[];

describe('webhook configurations', () => {
  it('fail closed, fast, without side effects, excluding the system namespaces', () => {
    const all = [
      ...webhooks(validatingConfiguration(options)),
      ...webhooks(mutatingConfiguration(options)),
    ];
    for (const webhook of all) {
      expect(webhook).toMatchObject({
        failurePolicy: 'Fail',
        timeoutSeconds: 3,
        sideEffects: 'None',
        matchPolicy: 'Equivalent',
      });
      const excluded = webhook.namespaceSelector.matchExpressions[0]?.values;
      // Workloads in the operator's namespace are never judged; the oos kinds there are (an
      // Exemption in the operator's namespace may cover others).
      expect(excluded).toEqual(
        webhook.name === 'workloads.oos.dev'
          ? ['kube-system', 'kube-node-lease', 'kube-public', 'oos-system']
          : ['kube-system', 'kube-node-lease', 'kube-public'],
      );
      expect(Buffer.from(webhook.clientConfig.caBundle, 'base64').toString()).toBe('PEM');
    }
    expect(all.map((webhook) => webhook.name)).toEqual([
      'workloads.oos.dev',
      'governance.oos.dev',
      'namespaces.oos.dev',
      'networkpolicies.oos.dev',
      'stamp.oos.dev',
    ]);
  });

  it('judges every way to change a workload: scale, ephemeral containers, ReplicationControllers', () => {
    const [workloads] = webhooks(validatingConfiguration(options));
    expect(workloads?.rules.flatMap((r) => r.resources)).toEqual(
      expect.arrayContaining([
        'pods/ephemeralcontainers',
        'replicationcontrollers',
        'replicationcontrollers/scale',
        'deployments/scale',
        'statefulsets/scale',
        'replicasets/scale',
      ]),
    );
  });

  it('judges NetworkPolicies, deletes included, but not the operator’s own writes', () => {
    const [, , , networkPolicies] = webhooks(validatingConfiguration(options));
    expect(networkPolicies?.rules).toEqual([
      {
        apiGroups: ['networking.k8s.io'],
        apiVersions: ['*'],
        resources: ['networkpolicies'],
        operations: ['CREATE', 'UPDATE', 'DELETE'],
        scope: 'Namespaced',
      },
    ]);
    expect(networkPolicies?.matchConditions).toEqual([
      {
        name: 'not-the-operator',
        expression: "request.userInfo.username != 'system:serviceaccount:oos-system:oos'",
      },
    ]);
    const [, , , unknownOperator] = webhooks(
      validatingConfiguration({ ...options, operatorUser: undefined }),
    );
    expect(unknownOperator?.matchConditions).toBeUndefined();
  });

  it('judges status writes and deletes of the oos kinds, and Namespaces', () => {
    const [, governance, namespaces] = webhooks(validatingConfiguration(options));
    expect(governance?.rules).toEqual([
      expect.objectContaining({
        resources: ['*', '*/status'],
        operations: ['CREATE', 'UPDATE', 'DELETE'],
      }),
    ]);
    // All but the operator's own status writes, which it would allow every time.
    expect(governance?.matchConditions).toEqual([
      {
        name: 'not-the-operators-status',
        expression:
          "request.userInfo.username != 'system:serviceaccount:oos-system:oos' || " +
          "!has(request.subResource) || request.subResource != 'status'",
      },
    ]);
    const [, unknownOperator] = webhooks(
      validatingConfiguration({ ...options, operatorUser: undefined }),
    );
    expect(unknownOperator?.matchConditions).toBeUndefined();
    expect(namespaces?.rules).toEqual([
      expect.objectContaining({ resources: ['namespaces'], operations: ['CREATE', 'UPDATE'] }),
    ]);
  });

  it('sends workloads and oos kinds to /validate and oos kinds to /mutate', () => {
    const [workloads, governance] = webhooks(validatingConfiguration(options));
    const [stamp] = webhooks(mutatingConfiguration(options));
    expect(workloads?.clientConfig.url).toBe('https://127.0.0.1:9443/validate');
    expect(workloads?.rules.flatMap((r) => r.resources)).toEqual(
      expect.arrayContaining(['pods', 'deployments', 'cronjobs', 'inferenceservices', 'rayjobs']),
    );
    expect(workloads?.matchConditions?.map((c) => c.name)).toEqual([
      'changes-spec-labels-or-oos-state',
      'not-the-operator',
    ]);
    expect(governance?.clientConfig.url).toBe('https://127.0.0.1:9443/validate');
    expect(stamp?.clientConfig.url).toBe('https://127.0.0.1:9443/mutate');
  });

  it('targets the Service in a cluster', () => {
    const [workloads] = webhooks(
      validatingConfiguration({
        ...options,
        target: { service: { namespace: 'oos-system', name: 'oos-webhook', port: 443 } },
      }),
    );
    expect(workloads?.clientConfig.service).toEqual({
      namespace: 'oos-system',
      name: 'oos-webhook',
      port: 443,
      path: '/validate',
    });
  });

  it('adds a rule for each kind a GovernancePolicy adds, merged into its group', () => {
    const [workloads] = webhooks(
      validatingConfiguration({
        ...options,
        extraWorkloads: [
          { group: 'example.com', plural: 'llmagents' },
          { group: 'ray.io', plural: 'raycronjobs' },
        ],
      }),
    );
    const rules = workloads?.rules as unknown as { apiGroups: string[]; resources: string[] }[];
    expect(rules).toContainEqual(
      expect.objectContaining({ apiGroups: ['example.com'], resources: ['llmagents'] }),
    );
    expect(rules.find((r) => r.apiGroups[0] === 'ray.io')?.resources).toEqual([
      'rayclusters',
      'rayjobs',
      'rayservices',
      'raycronjobs',
    ]);
    expect(rules.filter((r) => r.apiGroups[0] === 'ray.io')).toHaveLength(1);
  });
});
