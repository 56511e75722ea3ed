import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

interface Item {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  status?: { phase?: string };
}
interface List {
  items: Item[];
}

const ns = `smoke-${randomBytes(3).toString('hex')}`;

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;

const rbac = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: ${ns} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: deployment-reader, namespace: ${ns} }
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: credit-risk-reads-deployments, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployment-reader }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: credit-risk-officers }
`;

describe('the local control plane', () => {
  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', ns]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it('is a real kube-apiserver of the pinned version', async () => {
    const version = JSON.parse(await kubectlOk(['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string };
      clientVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(version.clientVersion.gitVersion).toBe(version.serverVersion.gitVersion);
    expect(inject('apiserver')).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('runs the controller manager: a Deployment gets a ReplicaSet and Pods, which stay Pending', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: deployment });
    const replicaSet = await waitFor('a ReplicaSet owned by the Deployment', async () => {
      const list = await getJson<List>(['replicasets', '-n', ns]);
      return list.items.find((rs) =>
        rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === 'web'),
      );
    });
    const pods = await waitFor('two Pods of that ReplicaSet', async () => {
      const list = await getJson<List>(['pods', '-n', ns, '-l', 'app=web']);
      return list.items.length === 2 ? list.items : undefined;
    });
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: replicaSet.metadata.name,
      });
      expect(pod.status?.phase).toBe('Pending');
    }
  });

  it('collects garbage: deleting the Deployment removes its ReplicaSet and Pods', async () => {
    await kubectlOk(['delete', 'deployment', 'web', '-n', ns, '--wait=true']);
    await waitFor('the ReplicaSet and Pods to be collected', async () => {
      const rs = await getJson<List>(['replicasets', '-n', ns]);
      const pods = await getJson<List>(['pods', '-n', ns]);
      return rs.items.length === 0 && pods.items.length === 0 ? true : undefined;
    });
  });

  it('tells a human and a ServiceAccount apart with RBAC and impersonation', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: rbac });
    const human = await kubectl(['get', 'deployments', '-n', ns], {
      as: 'alice',
      groups: ['credit-risk-officers'],
    });
    expect(human.stderr).not.toMatch(/forbidden/i);
    expect(human.code).toBe(0);

    const machine = await kubectl(['get', 'deployments', '-n', ns], {
      as: `system:serviceaccount:${ns}:bot`,
    });
    expect(machine.code).not.toBe(0);
    expect(machine.stderr).toContain(
      `User "system:serviceaccount:${ns}:bot" cannot list resource "deployments"`,
    );
  });

  it('deletes namespaces (the namespace controller runs)', async () => {
    const doomed = `${ns}-doomed`;
    await kubectlOk(['create', 'namespace', doomed]);
    await kubectlOk(['create', 'configmap', 'c', '-n', doomed, '--from-literal=k=v']);
    await kubectlOk(['delete', 'namespace', doomed, '--wait=false']);
    await waitFor('the namespace to be gone', async () => {
      const result = await kubectl(['get', 'namespace', doomed]);
      return result.code !== 0 && result.stderr.includes('NotFound') ? true : undefined;
    });
  });

  it('never dials a Service ClusterIP for a webhook: no endpoints, an immediate error', async () => {
    const webhook = `smoke-${ns}`;
    await kubectlOk(['apply', '-f', '-'], {
      stdin: `
apiVersion: v1
kind: Service
metadata: { name: nowhere, namespace: ${ns} }
spec:
  ports: [{ port: 443, targetPort: 8443 }]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: ${webhook} }
webhooks:
  - name: nowhere.smoke.oos.dev
    clientConfig: { service: { name: nowhere, namespace: ${ns}, path: /validate } }
    rules: [{ apiGroups: [''], apiVersions: [v1], resources: [configmaps], operations: [CREATE] }]
    namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${ns} } }
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Fail
    timeoutSeconds: 3
`,
    });
    try {
      const result = await waitFor('the webhook to be in force', async () => {
        const attempt = await kubectl(['create', 'configmap', `probe-${Date.now()}`, '-n', ns]);
        return attempt.code === 0 ? undefined : attempt;
      });
      expect(result.stderr).toContain('failed calling webhook');
      expect(result.stderr).toContain('no endpoints available for service');
    } finally {
      await kubectl(['delete', 'validatingwebhookconfiguration', webhook]);
    }
  });
});
