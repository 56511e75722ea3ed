import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminBinding, installCrds, removeWebhooks } from '../support/cluster.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';

// Threat model section 8: what the apiserver itself sends, at the size and depth limits.
// The adversary may do anything RBAC decides (cluster-admin), so every refusal comes from oos.
const MALLORY = { as: 'rb-mallory', groups: ['rb-people'] };
const NS = 'rb-ml';
// An AI kind oos judges (agents.x-k8s.io Sandbox): a CRD whose spec keeps unknown fields, so
// the apiserver stores whatever nesting a user sends.
const SANDBOX_CRD = 'sandboxes.agents.x-k8s.io';

const setup = `
${adminBinding('rb-people-admin', 'rb-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
`;

const sandboxCrd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${SANDBOX_CRD} }
spec:
  group: agents.x-k8s.io
  scope: Namespaced
  names: { plural: sandboxes, singular: sandbox, kind: Sandbox }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

/** A plain (not AI) Deployment whose container carries `kib` KiB of environment. */
function bigDeployment(kib: number, marker: string): string {
  const env = Array.from({ length: kib }, (_, i) => ({
    name: `VAR_${i}`,
    value: `${marker}${'x'.repeat(1000)}`,
  }));
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'big', namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'big' } },
      template: {
        metadata: { labels: { app: 'big' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', env }] },
      },
    },
  });
}

/** A Sandbox whose spec nests `depth` levels of objects. */
function deepSandbox(name: string, depth: number): string {
  return JSON.stringify({
    apiVersion: 'agents.x-k8s.io/v1alpha1',
    kind: 'Sandbox',
    metadata: { name, namespace: NS },
    spec: { x: 'DEEP' },
  }).replace('"DEEP"', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

let operator: RunningOperator;
let createdCrd = false;

describe('hostile requests through the real apiserver', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    const existing = await kubectl(['get', 'crd', SANDBOX_CRD]);
    if (existing.code !== 0) {
      await kubectlOk(['apply', '-f', '-'], { stdin: sandboxCrd });
      createdCrd = true;
    }
    await kubectlOk([
      'wait',
      '--for',
      'condition=Established',
      '--timeout=60s',
      'crd',
      SANDBOX_CRD,
    ]);
    operator = await startOperator();
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'clusterrolebinding', 'rb-people-admin', '--ignore-not-found']);
    if (createdCrd) await kubectl(['delete', 'crd', SANDBOX_CRD, '--ignore-not-found']);
  });

  it('judges the largest objects the apiserver stores, on CREATE and on UPDATE (object and oldObject)', async () => {
    // About 1.2 MB of JSON: under etcd's 1.5 MiB. The UPDATE's review carries it twice.
    // Server-side apply: no 1.2 MB last-applied annotation, and no conflict with the controller.
    const apply = ['apply', '--server-side', '--force-conflicts', '-f', '-'];
    await kubectlOk(apply, { stdin: bigDeployment(1150, 'a'), ...MALLORY });
    await kubectlOk(apply, { stdin: bigDeployment(1150, 'b'), ...MALLORY });
    const env = await kubectlOk(
      [
        'get',
        'deployment',
        'big',
        '-n',
        NS,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env[0].value}',
      ],
      MALLORY,
    );
    expect(env.startsWith('b')).toBe(true);
  });

  it('refuses an AI object nested deeper than 128 levels with a clear 400, never an error to report', async () => {
    const result = await kubectl(['create', '-f', '-'], {
      stdin: deepSandbox('rb-deep', 200),
      ...MALLORY,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('nests deeper than 128 levels');
    expect(result.stderr).not.toMatch(/report this|maintainers|failed calling webhook/);
    const gone = await kubectl(['get', 'sandbox', 'rb-deep', '-n', NS]);
    expect(gone.code).not.toBe(0);
  });

  it('still judges a nested object within the limit (the refusal is about depth, not nesting)', async () => {
    const result = await kubectl(['create', '-f', '-'], {
      stdin: deepSandbox('rb-shallow', 40),
      ...MALLORY,
    });
    // oos judged it (allowed or refused by the chain), and said nothing about depth.
    expect(result.stderr).not.toContain('nests deeper');
    expect(result.stderr).not.toMatch(/failed calling webhook/);
  });
});
