/**
 * The AdmissionReviews of the admission soak: for each of the 100 namespaces of the large
 * governance, the reviews a busy cluster sends (AI and plain Deployments and Pods, CREATE and
 * UPDATE with `oldObject`, allowed and denied), as realistic objects (uid, resourceVersion,
 * managedFields, kubectl's last-applied annotation).
 */
import { alice, deployment, pod, robot } from '../engine/testing/fixtures.js';
import { CAPABILITIES_PER_NAMESPACE, NAMESPACES } from './large-governance.js';

export interface Template {
  readonly name: string;
  readonly path: '/validate';
  /** The review with `"uid":"UID"` to replace. */
  readonly body: string;
}

function lastApplied(object: unknown): Record<string, string> {
  // kubectl apply keeps the whole manifest in an annotation: most real objects carry it.
  return { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(object) };
}

function realistic(object: Record<string, unknown>, i: number): Record<string, unknown> {
  const metadata = object.metadata as Record<string, unknown>;
  return {
    ...object,
    metadata: {
      ...metadata,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(100_000 + i),
      generation: 1,
      creationTimestamp: '2026-05-30T10:00:00Z',
      annotations: lastApplied(object),
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: object.apiVersion,
          time: '2026-05-30T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': {}, 'f:annotations': {} }, 'f:spec': {} },
        },
      ],
    },
  };
}

function review(
  object: Record<string, unknown>,
  operation: 'CREATE' | 'UPDATE',
  userInfo: unknown,
  oldObject?: unknown,
): string {
  const metadata = object.metadata as { name: string; namespace: string };
  const isPod = object.kind === 'Pod';
  const kind = isPod
    ? { group: '', version: 'v1', kind: 'Pod' }
    : { group: 'apps', version: 'v1', kind: 'Deployment' };
  const resource = isPod
    ? { group: '', version: 'v1', resource: 'pods' }
    : { group: 'apps', version: 'v1', resource: 'deployments' };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'UID',
      kind,
      resource,
      requestKind: kind,
      requestResource: resource,
      name: metadata.name,
      namespace: metadata.namespace,
      operation,
      userInfo,
      object,
      ...(oldObject === undefined ? {} : { oldObject }),
      dryRun: false,
      options: {
        apiVersion: 'meta.k8s.io/v1',
        kind: `${operation === 'CREATE' ? 'Create' : 'Update'}Options`,
      },
    },
  });
}

const replicaSetController = {
  username: 'system:serviceaccount:kube-system:replicaset-controller',
  uid: 'rs-controller',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

/** The mix: for each namespace and capability, the reviews a busy cluster sends. */
export function reviewMix(): Template[] {
  const out: Template[] = [];
  const add = (name: string, body: string): void => {
    out.push({ name, path: '/validate', body });
  };
  for (let n = 0; n < NAMESPACES; n += 1) {
    const namespace = `team-${n}`;
    const cap = `cap-${n % CAPABILITIES_PER_NAMESPACE}`;
    const labels = { app: `vllm-${n}`, 'oos.dev/capability': cap };
    const ai = {
      namespace,
      labels,
      templateLabels: labels,
      serviceAccount: 'sa-0',
      image: 'vllm/vllm-openai:v0.6.3',
      resources: { limits: { 'nvidia.com/gpu': '1', memory: '32Gi' }, requests: { cpu: '4' } },
      env: [
        { name: 'MODEL', value: 'meta-llama/Llama-3.1-8B-Instruct' },
        { name: 'MAX_MODEL_LEN', value: '8192' },
      ],
    };
    const anchored = realistic(deployment({ ...ai, name: `vllm-${n}`, replicas: 2 }), n);
    const scaled = realistic(deployment({ ...ai, name: `vllm-${n}`, replicas: 3 }), n);
    const unanchored = realistic(
      deployment({
        ...ai,
        name: `rogue-${n}`,
        labels: { app: 'rogue' },
        templateLabels: { app: 'rogue' },
      }),
      n,
    );
    const outside = realistic(
      deployment({ ...ai, name: `bad-image-${n}`, image: 'docker.io/someone/llm:latest' }),
      n,
    );
    const aiPod = realistic(pod({ ...ai, name: `vllm-${n}-7d9f8c6b5-x${n}` }), n);
    const web = realistic(
      deployment({ namespace, name: `web-${n}`, labels: { app: 'web' }, image: 'nginx:1.27' }),
      n,
    );
    const webPod = realistic(
      pod({ namespace, name: `web-${n}-5c8d7-q${n}`, labels: { app: 'web' } }),
      n,
    );
    add('AI Deployment CREATE, anchored', review(anchored, 'CREATE', robot));
    add('AI Deployment UPDATE (scale), anchored', review(scaled, 'UPDATE', robot, anchored));
    add(
      'AI Pod CREATE by the ReplicaSet controller',
      review(aiPod, 'CREATE', replicaSetController),
    );
    add('AI Deployment CREATE, unanchored', review(unanchored, 'CREATE', alice));
    add('AI Deployment CREATE, image outside the boundary', review(outside, 'CREATE', robot));
    add('plain Deployment UPDATE', review(web, 'UPDATE', alice, web));
    add(
      'plain Pod CREATE by the ReplicaSet controller',
      review(webPod, 'CREATE', replicaSetController),
    );
  }
  return out;
}

/** The review request `i` sends: the mix in turn. */
export function pick(mix: readonly Template[], i: number): Template {
  const template = mix[i % mix.length];
  if (!template) throw new Error('the mix of reviews is empty');
  return template;
}
