import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { adminBinding, ADMIN_USER, installCrds, removeWebhooks } from '../support/cluster.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

/**
 * docs/threat-model.md §2 (and the ephemeral-container part of §1): detection an adversary cannot
 * step around. Mallory is bound to cluster-admin, so every refusal below comes from oos, never
 * from RBAC. Each test tries one way of running an AI workload that an older oos did not see as
 * AI: renamed accelerator resources, DRA claims, serving images and credential variables it did
 * not know, envFrom, a spec nested past the reading limits, and debug containers.
 */

const PEOPLE = 'det-e2e-people';
const MALLORY = { as: 'det-mallory', groups: [PEOPLE] };
const NS = 'det-ml';
const RAY_CRD = 'rayclusters.ray.io';

const setup = `
${adminBinding('det-e2e-people-admin', PEOPLE)}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: default, namespace: ${NS} }
spec:
  triggers: [{ type: UnanchoredWorkload, severity: Critical }]
  levels: [{ after: 0s, notifyAccountableRole: true }]
`;

/** DRA objects: a GPU class whose name hides what it selects, a NIC class, claims and templates. */
const dra = `
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: { name: det-accel }
spec:
  selectors: [{ cel: { expression: 'device.driver == "gpu.nvidia.com"' } }]
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: { name: det-nic }
spec:
  selectors: [{ cel: { expression: 'device.driver == "nic.example.com"' } }]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: { name: gpu, namespace: ${NS} }
spec:
  spec:
    devices:
      requests: [{ name: gpu0, exactly: { deviceClassName: det-accel } }]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: { name: nic, namespace: ${NS} }
spec:
  devices:
    requests: [{ name: nic0, exactly: { deviceClassName: det-nic } }]
`;

/** A minimal RayCluster CRD (any spec): an AI kind oos reads with its bounded walk. */
const rayCrd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${RAY_CRD} }
spec:
  group: ray.io
  scope: Namespaced
  names: { plural: rayclusters, singular: raycluster, kind: RayCluster }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

function pod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels },
    spec: { containers: [{ name: 'main', image: 'busybox:1.37' }], ...spec },
  });
}

function container(extra: Record<string, unknown>) {
  return { containers: [{ name: 'main', image: 'busybox:1.37', ...extra }] };
}

const web = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: nginx:1.27 }]
`;

const create = (yaml: string) => kubectl(['create', '-f', '-'], { stdin: yaml, ...MALLORY });

/** Expects oos to have refused: the reason code, and each phrase, in kubectl's stderr. */
function expectRefused(
  result: { code: number; stderr: string },
  reason: string,
  ...phrases: string[]
) {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stderr).toContain('admission webhook "workloads.oos.dev" denied the request');
  expect(result.stderr).toContain(`${reason}:`);
  for (const phrase of phrases) expect(result.stderr).toContain(phrase);
}

let operator: RunningOperator | undefined;

describe('detection an adversary cannot step around', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['apply', '-f', '-'], { stdin: dra });
    await kubectlOk(['apply', '-f', '-'], { stdin: rayCrd });
    await kubectlOk(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', RAY_CRD]);
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await waitFor('the default ServiceAccount of the namespace', async () =>
      (await kubectl(['get', 'serviceaccount', 'default', '-n', NS])).code === 0 ? true : undefined,
    );
    // Before oos arrives: a Pod whose debug container runs a model server. The background audit
    // must find it (the pod view reads ephemeral containers).
    await kubectlOk(['apply', '-f', '-'], { stdin: pod('det-debugged', {}) });
    await kubectlOk([
      'debug',
      'pod/det-debugged',
      '-n',
      NS,
      '--image=ollama/ollama:0.5',
      '--container=dbg-llm',
      '--profile=general',
    ]);
    operator = await startOperator(['--operator-user', ADMIN_USER, '--audit-interval', '5s']);
    await kubectlOk(['apply', '-f', '-'], { stdin: web, ...MALLORY });
  });

  afterAll(async () => {
    await operator?.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'crd', RAY_CRD, '--ignore-not-found']);
    await kubectl(['delete', 'deviceclass', 'det-accel', 'det-nic', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'det-e2e-people-admin', '--ignore-not-found']);
  });

  describe('accelerators are matched by family, not by exact name', () => {
    it.each([
      'nvidia.com/gpu.shared',
      'nvidia.com/mig-1g.10gb',
      'amd.com/cpx_nps4',
      'habana.ai/gaudi2',
      'huawei.com/Ascend910',
    ])('refuses an unlabelled Pod limiting %s', async (resource) => {
      const name = `det-acc-${resource.replace(/[^a-z0-9]/gi, '-').toLowerCase()}`;
      const result = await create(
        pod(name, container({ resources: { limits: { [resource]: 1 } } })),
      );
      expectRefused(result, 'AnchorMissing', `accelerator ${resource} in container main`);
    });

    it('refuses adding a time-sliced GPU to a running Deployment (kubectl set resources)', async () => {
      const result = await kubectl(
        ['set', 'resources', 'deployment/web', '-n', NS, '--limits=nvidia.com/gpu.shared=1'],
        MALLORY,
      );
      expectRefused(result, 'AnchorMissing', 'nvidia.com/gpu.shared');
    });
  });

  describe('mainstream serving images and credential variables', () => {
    it.each([
      'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3',
      'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5',
      'nvcr.io/nvidia/tritonserver:24.08-trtllm-python-py3',
      'openmmlab/lmdeploy:latest',
      'ghcr.io/berriai/litellm:main-stable',
    ])('refuses an unlabelled Pod running %s', async (image) => {
      const name = `det-img-${String(image.length)}-${image.split('/').pop()?.split(':')[0] ?? ''}`;
      const result = await create(
        pod(name.toLowerCase().replace(/[^a-z0-9-]/g, '-'), container({ image })),
      );
      expectRefused(result, 'AnchorMissing', `image ${image} of container main`);
    });

    it('refuses switching a running Deployment to a NIM image (kubectl set image)', async () => {
      const result = await kubectl(
        [
          'set',
          'image',
          'deployment/web',
          '-n',
          NS,
          'nginx=nvcr.io/nim/meta/llama3-8b-instruct:1.0.0',
        ],
        MALLORY,
      );
      expectRefused(result, 'AnchorMissing', 'nvcr.io/nim/');
    });

    it.each(['NGC_API_KEY', 'OPENROUTER_API_KEY', 'WATSONX_APIKEY', 'AWS_BEARER_TOKEN_BEDROCK'])(
      'refuses an unlabelled Pod holding %s',
      async (variable) => {
        const name = `det-env-${variable.toLowerCase().replace(/_/g, '-')}`;
        const result = await create(
          pod(name, container({ env: [{ name: variable, value: 'x' }] })),
        );
        expectRefused(result, 'AnchorMissing', `model-provider credential ${variable}`);
      },
    );
  });

  describe('envFrom of a Secret or ConfigMap named like model-provider credentials', () => {
    it('refuses a Pod importing an openai Secret, or an LLM ConfigMap', async () => {
      expectRefused(
        await create(
          pod(
            'det-envfrom-secret',
            container({ envFrom: [{ secretRef: { name: 'openai-credentials' } }] }),
          ),
        ),
        'AnchorMissing',
        'from Secret openai-credentials (envFrom',
      );
      expectRefused(
        await create(
          pod(
            'det-envfrom-cm',
            container({ envFrom: [{ configMapRef: { name: 'llm-gateway' } }] }),
          ),
        ),
        'AnchorMissing',
        'from ConfigMap llm-gateway (envFrom',
      );
    });

    it('refuses patching envFrom into a running Deployment (JSON patch)', async () => {
      const patch = [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/envFrom',
          value: [{ secretRef: { name: 'hf-token' } }],
        },
      ];
      const result = await kubectl(
        ['patch', 'deployment', 'web', '-n', NS, '--type=json', '-p', JSON.stringify(patch)],
        MALLORY,
      );
      expectRefused(result, 'AnchorMissing', 'Secret hf-token');
    });
  });

  describe('Dynamic Resource Allocation (resource.k8s.io/v1)', () => {
    it('refuses a Pod claiming a GPU through a template whose DeviceClass name hides it', async () => {
      const result = await create(
        pod('det-dra-gpu', {
          resourceClaims: [{ name: 'gpu0', resourceClaimTemplateName: 'gpu' }],
        }),
      );
      expectRefused(
        result,
        'AnchorMissing',
        `ResourceClaimTemplate ${NS}/gpu) requests DeviceClass det-accel (selects gpu.nvidia.com)`,
      );
    });

    it('refuses a Deployment whose pod template claims the GPU', async () => {
      const deployment = stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'det-dra-deploy', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'dra' } },
          template: {
            metadata: { labels: { app: 'dra' } },
            spec: {
              containers: [{ name: 'main', image: 'busybox:1.37' }],
              resourceClaims: [{ name: 'gpu0', resourceClaimTemplateName: 'gpu' }],
            },
          },
        },
      });
      expectRefused(await create(deployment), 'AnchorMissing', 'DeviceClass det-accel');
    });

    it('fails closed on a claim oos does not know (created later, or never)', async () => {
      const result = await create(
        pod('det-dra-ghost', { resourceClaims: [{ name: 'gpu0', resourceClaimName: 'ghost' }] }),
      );
      expectRefused(
        result,
        'AnchorMissing',
        `ResourceClaim ${NS}/ghost, which is not found: oos cannot tell which devices it requests`,
      );
    });

    it('admits a Pod claiming a device that is no accelerator, once its claim is in the cache', async () => {
      const nic = await create(
        pod('det-dra-nic', { resourceClaims: [{ name: 'nic0', resourceClaimName: 'nic' }] }),
      );
      expect(nic.code, nic.stderr).toBe(0);
      // A claim created now reaches the admission cache through the watch.
      await kubectlOk(['apply', '-f', '-'], {
        stdin: `
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: { name: late-nic, namespace: ${NS} }
spec:
  devices:
    requests: [{ name: nic0, exactly: { deviceClassName: det-nic } }]
`,
      });
      await waitFor('the new claim to reach the cache', async () => {
        const result = await kubectl(['create', '--dry-run=server', '-f', '-'], {
          stdin: pod('det-dra-late', {
            resourceClaims: [{ name: 'nic0', resourceClaimName: 'late-nic' }],
          }),
          ...MALLORY,
        });
        return result.code === 0 ? true : undefined;
      });
    });
  });

  describe('the reading limits fail closed', () => {
    function nested(depth: number, leaf: unknown): unknown {
      let value = leaf;
      for (let level = 0; level < depth; level += 1) value = { group: value };
      return value;
    }
    const rayCluster = (name: string, spec: unknown) =>
      JSON.stringify({
        apiVersion: 'ray.io/v1',
        kind: 'RayCluster',
        metadata: { name, namespace: NS },
        spec,
      });

    it('refuses a RayCluster whose pod spec is nested past the depth limit', async () => {
      const deep = nested(40, {
        template: { spec: { containers: [{ name: 'm', image: 'vllm/vllm-openai:v0.6.3' }] } },
      });
      const result = await create(rayCluster('det-deep', deep));
      expectRefused(result, 'ObjectTooComplex', 'nested deeper than 32 levels');
    });

    it('refuses a RayCluster wider than the walk reads', async () => {
      const wide = { workerGroupSpecs: Array.from({ length: 10_001 }, () => ({ x: {} })) };
      const result = await create(rayCluster('det-wide', wide));
      expectRefused(result, 'ObjectTooComplex', 'more than 10000 objects and lists');
    });
  });

  describe('ephemeral (debug) containers are judged like containers', () => {
    it('the background audit finds a Pod whose debug container runs a model server', async () => {
      const escalation = await waitFor(
        'an UnanchoredWorkload escalation about det-debugged',
        async () => {
          const list = await getJson<{
            items: { spec: { trigger: string; subject: { name: string }; summary: string } }[];
          }>(['escalations', '-n', NS]);
          return list.items.find(
            (e) =>
              e.spec.trigger === 'UnanchoredWorkload' && e.spec.subject.name === 'det-debugged',
          );
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(escalation.spec.summary).toContain('AnchorMissing');
      expect(escalation.spec.summary).toContain('ollama/ollama:0.5 of container dbg-llm');
    });

    // NEEDS THE "workloads" HELPER'S BRANCH: this passes only once the engine judges the
    // pods/ephemeralcontainers subresource itself (engine/authority + engine/workload/decide.ts,
    // merged from h/workloads). On h/detection alone the subresource is still NotGoverned and
    // the debug container is admitted. The lead runs it after merging both branches.
    it('[after merge] refuses kubectl debug adding a model server or a credential to an unlabelled Pod', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: pod('det-debuggee', {}), ...MALLORY });
      const image = await kubectl(
        [
          'debug',
          'pod/det-debuggee',
          '-n',
          NS,
          '--image=ollama/ollama:0.5',
          '--container=dbg-1',
          '--profile=general',
        ],
        MALLORY,
      );
      expectRefused(image, 'AnchorMissing', 'ollama/ollama:0.5 of container dbg-1');
      const secret = await kubectl(
        [
          'debug',
          'pod/det-debuggee',
          '-n',
          NS,
          '--image=busybox:1.37',
          '--container=dbg-2',
          '--profile=general',
          '--env=OPENAI_API_KEY=x',
        ],
        MALLORY,
      );
      expectRefused(secret, 'AnchorMissing', 'OPENAI_API_KEY in container dbg-2');
      // The raw subresource, as a patch: the same refusal.
      const patch = {
        spec: { ephemeralContainers: [{ name: 'dbg-3', image: 'vllm/vllm-openai:v0.6.3' }] },
      };
      const raw = await kubectl(
        [
          'patch',
          'pod',
          'det-debuggee',
          '-n',
          NS,
          '--subresource=ephemeralcontainers',
          '--type=strategic',
          '-p',
          JSON.stringify(patch),
        ],
        MALLORY,
      );
      expectRefused(raw, 'AnchorMissing', 'vllm/vllm-openai:v0.6.3 of container dbg-3');
      const debuggee = await getJson<{ spec: { ephemeralContainers?: unknown[] } }>([
        'pod',
        'det-debuggee',
        '-n',
        NS,
      ]);
      expect(debuggee.spec.ephemeralContainers ?? []).toEqual([]);
    });
  });
});
