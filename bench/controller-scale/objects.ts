/**
 * The governance and workloads `bench/controller-scale.ts` creates, per namespace: 10 roles,
 * 50 capabilities, 100 delegations and 200 AI Pods, anchored. 100 namespaces make the full size
 * (1,000 roles, 5,000 capabilities, 10,000 delegations, 20,000 workloads); a smaller size is a
 * prefix of the namespaces, so the objects of a size are reused by the next.
 */
import { API_VERSION, LABEL_CAPABILITY } from '../../api/index.js';

export const ROLES_PER_NAMESPACE = 10;
export const CAPABILITIES_PER_NAMESPACE = 50;
export const DELEGATIONS_PER_CAPABILITY = 2;
export const PODS_PER_NAMESPACE = 200;
export const FULL_NAMESPACES = 100;

export const SIZES = { quarter: 25, half: 50, full: FULL_NAMESPACES } as const;
export type Size = keyof typeof SIZES;

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export const namespaceName = (n: number): string => `scale-${String(n)}`;
export const roleName = (n: number, r: number): string =>
  `scale-role-${String(n * ROLES_PER_NAMESPACE + r)}`;
export const serviceAccountName = (d: number): string => `sa-${String(d)}`;

/** A create: the collection path (namespaced or not) and the object. */
export interface Creation {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const OOS = `/apis/${API_VERSION}`;

export function namespaceObjects(n: number, now: number): Creation[] {
  const namespace = namespaceName(n);
  const out: Creation[] = [];
  for (let r = 0; r < ROLES_PER_NAMESPACE; r += 1) {
    out.push({
      path: `${OOS}/accountableroles`,
      body: {
        apiVersion: API_VERSION,
        kind: 'AccountableRole',
        metadata: { name: roleName(n, r) },
        spec: {
          title: 'Model Risk Officer',
          responsibilities: ['Risk'],
          holders: ['alice', `holder-${String(r)}`].map((user) => ({
            name: `${user} Person`,
            email: `${user}@example.com`,
            user,
            attestedUntil: iso(now + 365 * DAY),
          })),
        },
      },
    });
  }
  for (let c = 0; c < CAPABILITIES_PER_NAMESPACE; c += 1) {
    const capability = `cap-${String(c)}`;
    out.push({
      path: `${OOS}/namespaces/${namespace}/capabilities`,
      body: {
        apiVersion: API_VERSION,
        kind: 'Capability',
        metadata: { name: capability, namespace },
        spec: {
          description: 'Answers customer questions.',
          intendedUse: 'Drafts replies that an agent sends.',
          accountableRole: roleName(n, c % ROLES_PER_NAMESPACE),
          autonomy: 'Supervised',
          riskTier: 'Limited',
          delegationRequired: true,
          boundaries: { allowedImages: ['vllm/*'], maxReplicas: 8 },
        },
      },
    });
    for (let d = 0; d < DELEGATIONS_PER_CAPABILITY; d += 1) {
      out.push({
        path: `${OOS}/namespaces/${namespace}/delegations`,
        body: {
          apiVersion: API_VERSION,
          kind: 'Delegation',
          metadata: { name: `${capability}-sa-${String(d)}`, namespace },
          spec: {
            capability,
            serviceAccount: serviceAccountName(d),
            validFrom: iso(now - DAY),
            validUntil: iso(now + 60 * DAY),
            justification: 'Benchmark.',
            grantedBy: 'alice',
          },
        },
      });
    }
  }
  return out;
}

/** An anchored AI Pod of capability `cap-<p % 50>`, run by `sa-<p % 2>`. */
export function pod(n: number, p: number, name = `pod-${String(p)}`): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: namespaceName(n),
      labels: { [LABEL_CAPABILITY]: `cap-${String(p % CAPABILITIES_PER_NAMESPACE)}` },
    },
    spec: {
      serviceAccountName: serviceAccountName(p % DELEGATIONS_PER_CAPABILITY),
      containers: [{ name: 'model', image: 'vllm/vllm-openai:v0.6.3' }],
    },
  };
}

export function podCreations(n: number): Creation[] {
  return Array.from({ length: PODS_PER_NAMESPACE }, (_, p) => ({
    path: `/api/v1/namespaces/${namespaceName(n)}/pods`,
    body: pod(n, p),
  }));
}

export function namespaceCreations(n: number): Creation[] {
  const namespace = namespaceName(n);
  return [
    {
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    },
    ...Array.from({ length: DELEGATIONS_PER_CAPABILITY }, (_, d) => ({
      path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
      body: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: serviceAccountName(d), namespace },
      },
    })),
  ];
}
