import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnforcementMode } from '../api/index.js';
import { decide, evaluate, isAIWorkload } from './decide.js';
import type { AdmissionInput } from './input.js';
import { buildSnapshot, type GovernanceObjects } from './snapshot.js';
import {
  capability,
  delegation,
  exemption,
  holder,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  role,
} from './testing/fixtures.js';

/**
 * Properties of the decision function over generated workloads and governance snapshots:
 *  - it never throws;
 *  - an AI workload is admitted in Enforce mode only as Anchored or Exempted;
 *  - a workload that is not AI is never denied.
 */

const DAY = 86_400_000;
const NAMESPACES = ['ml', 'team', 'kube-system', OPERATOR_NAMESPACE];
const CAPABILITIES = ['c1', 'c2', 'c3'];
const ROLES = ['r1', 'r2', 'r3'];
const ACCOUNTS = ['sa1', 'sa2', 'default'];
const MODES: EnforcementMode[] = ['Enforce', 'Warn', 'Audit'];

/** Mostly the namespace where the governance lives, so that chains get far. */
const namespaceArb = fc.oneof(
  { arbitrary: fc.constant('ml'), weight: 6 },
  { arbitrary: fc.constantFrom(...NAMESPACES), weight: 1 },
);

/** true about one time in `n`. */
const rarely = (n: number) =>
  fc.oneof(
    { arbitrary: fc.constant(false), weight: n - 1 },
    { arbitrary: fc.constant(true), weight: 1 },
  );

const at = fc
  .integer({ min: -60, max: 60 })
  .map((days) => new Date(NOW.getTime() + days * DAY).toISOString());

const roleArb = fc
  .record({
    name: fc.constantFrom(...ROLES),
    holders: fc.uniqueArray(
      fc.record({ user: fc.constantFrom('alice', 'bob', 'carol'), until: at }),
      { selector: (h) => h.user, maxLength: 3 },
    ),
  })
  .map(({ name, holders }) =>
    role(
      name,
      holders.map((h) => holder(h.user, h.until)),
    ),
  );

const capabilityArb = fc
  .record({
    name: fc.constantFrom(...CAPABILITIES),
    namespace: namespaceArb,
    accountableRole: fc.constantFrom(...ROLES),
    riskTier: fc.constantFrom('Minimal', 'Limited', 'High'),
    delegationRequired: fc.boolean(),
    suspend: rarely(5),
    boundaries: fc.option(
      fc.record(
        {
          allowedImages: fc.constant(['vllm/*', 'registry.example.com/*']),
          maxReplicas: fc.integer({ min: 1, max: 5 }),
          maxAcceleratorsPerPod: fc.integer({ min: 0, max: 2 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  })
  .map(({ name, namespace, riskTier, delegationRequired, boundaries, ...rest }) =>
    capability(
      name,
      {
        ...rest,
        riskTier,
        delegationRequired: riskTier === 'High' || delegationRequired,
        ...(boundaries ? { boundaries } : {}),
      },
      namespace,
    ),
  );

const delegationArb = fc
  .record({
    name: fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 4 }),
    namespace: namespaceArb,
    capability: fc.constantFrom(...CAPABILITIES),
    serviceAccount: fc.constantFrom(...ACCOUNTS),
    start: fc.integer({ min: -60, max: 30 }),
    length: fc.integer({ min: 1, max: 60 }),
    revoked: rarely(5),
  })
  .map(({ name, namespace, start, length, ...spec }) =>
    delegation(
      name,
      {
        ...spec,
        validFrom: new Date(NOW.getTime() + start * DAY).toISOString(),
        validUntil: new Date(NOW.getTime() + (start + length) * DAY).toISOString(),
      },
      namespace,
    ),
  );

const exemptionArb = fc
  .record({
    namespace: namespaceArb,
    approved: fc.boolean(),
    expiresAt: at,
    capability: fc.option(fc.constantFrom(...CAPABILITIES), { nil: undefined }),
    scope: fc.constantFrom<Record<string, unknown>>(
      { kinds: [{ group: 'apps', kind: 'Deployment' }] },
      { names: ['w'] },
      { selector: { matchLabels: { app: 'x' } } },
    ),
  })
  .map(({ namespace, approved, ...spec }) =>
    exemption('e', { ...spec, approved, approvedBy: approved ? 'alice' : undefined }, namespace),
  );

const policyArb = fc.option(
  fc.record({
    enforcement: fc.constantFrom(...MODES),
    rules: fc.array(
      fc.record({
        value: fc.constantFrom('sandbox', 'prod'),
        enforcement: fc.constantFrom(...MODES),
      }),
      { maxLength: 2 },
    ),
    exemptNamespaces: fc.subarray(['kube-system', 'team']),
  }),
  { nil: undefined },
);

const governanceArb: fc.Arbitrary<GovernanceObjects> = fc.record({
  roles: fc.uniqueArray(roleArb, { selector: (r) => r.metadata.name, maxLength: 3 }),
  capabilities: fc.array(capabilityArb, { minLength: 1, maxLength: 6 }),
  delegations: fc.array(delegationArb, { maxLength: 8 }),
  exemptions: fc.array(exemptionArb, { maxLength: 2 }),
  policies: policyArb.map((p) =>
    p === undefined
      ? []
      : [
          policy({
            enforcement: p.enforcement,
            exemptNamespaces: p.exemptNamespaces,
            enforcementRules: p.rules.map((r) => ({
              namespaceSelector: { matchLabels: { env: r.value } },
              enforcement: r.enforcement,
            })),
          }),
        ],
  ),
});

const IMAGES = [
  'nginx:1.27',
  'postgres:17',
  'vllm/vllm-openai:v0.6.3',
  'ollama/ollama:0.5',
  'registry.example.com/app:1',
  'rayproject/ray:2.40.0',
];
const ENV = ['DATABASE_URL', 'OPENAI_API_KEY', 'HF_TOKEN', 'LOG_LEVEL'];

const anyContainerArb = fc.record(
  {
    name: fc.constantFrom('main', 'sidecar'),
    image: fc.constantFrom(...IMAGES),
    env: fc.array(fc.record({ name: fc.constantFrom(...ENV), value: fc.constant('x') }), {
      maxLength: 2,
    }),
    resources: fc.record({
      limits: fc.dictionary(
        fc.constantFrom('cpu', 'nvidia.com/gpu', 'amd.com/gpu'),
        fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('1', '0', '500m')),
      ),
    }),
  },
  { requiredKeys: ['name'] },
);

const plainContainerArb = fc.record({
  name: fc.constant('web'),
  image: fc.constantFrom('nginx:1.27', 'postgres:17'),
  env: fc.constant([{ name: 'LOG_LEVEL', value: 'info' }]),
  resources: fc.constant({ limits: { cpu: '1', 'nvidia.com/gpu': 0 } }),
});

/** Mostly plain containers, so that both AI and non-AI workloads are generated. */
const containerArb = fc.oneof(
  { arbitrary: plainContainerArb, weight: 3 },
  { arbitrary: anyContainerArb, weight: 1 },
);

const podSpecArb = fc.record(
  {
    serviceAccountName: fc.constantFrom(...ACCOUNTS),
    containers: fc.array(containerArb, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(containerArb, { maxLength: 1 }),
  },
  { requiredKeys: ['containers'] },
);

const labelsArb = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  { arbitrary: fc.constantFrom('c1', 'c2').map((c) => ({ 'oos.dev/capability': c })), weight: 3 },
  {
    arbitrary: fc.dictionary(
      fc.constantFrom('oos.dev/capability', 'oos.dev/ai-workload', 'app'),
      fc.constantFrom('c1', 'c2', 'c4', 'true', 'x'),
    ),
    weight: 1,
  },
);

const workloadArb = fc
  .record({
    shape: fc.constantFrom(
      'Pod',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Job',
      'CronJob',
      'InferenceService',
      'RayJob',
      'Agent',
    ),
    namespace: namespaceArb,
    name: fc.constantFrom('w', 'x'),
    labels: labelsArb,
    templateLabels: labelsArb,
    pod: podSpecArb,
    replicas: fc.integer({ min: 0, max: 8 }),
  })
  .map(
    ({
      shape,
      namespace,
      name,
      labels,
      templateLabels,
      pod,
      replicas,
    }): Record<string, unknown> => {
      const metadata = { name, namespace, labels };
      const template = { metadata: { labels: templateLabels }, spec: pod };
      switch (shape) {
        case 'Pod':
          return { apiVersion: 'v1', kind: 'Pod', metadata, spec: pod };
        case 'Job':
          return {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata,
            spec: { parallelism: replicas, template },
          };
        case 'CronJob':
          return {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata,
            spec: { jobTemplate: { spec: { template } } },
          };
        case 'InferenceService':
          return {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: shape,
            metadata,
            spec: { predictor: { maxReplicas: replicas, ...pod } },
          };
        case 'RayJob':
          return {
            apiVersion: 'ray.io/v1',
            kind: shape,
            metadata,
            spec: { rayClusterSpec: { headGroupSpec: { template } } },
          };
        case 'Agent':
          return {
            apiVersion: 'kagent.dev/v1alpha2',
            kind: shape,
            metadata,
            spec: { description: 'agent' },
          };
        default:
          return { apiVersion: 'apps/v1', kind: shape, metadata, spec: { replicas, template } };
      }
    },
  );

const inputArb = fc.record({
  object: workloadArb,
  env: fc.constantFrom('sandbox', 'prod', 'other'),
  user: fc.constantFrom('alice', 'system:serviceaccount:ml:sa1'),
});

function toInput(object: Record<string, unknown>, env: string, user: string): AdmissionInput {
  const metadata = object.metadata as { namespace: string; name: string };
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', String(object.apiVersion)];
  return {
    operation: 'CREATE',
    kind: { group: group ?? '', version: version ?? '', kind: String(object.kind) },
    namespace: metadata.namespace,
    name: metadata.name,
    object,
    userInfo: { username: user, groups: [] },
    namespaceLabels: { env },
  };
}

const RUNS = { numRuns: 500 };

describe('decide, over generated workloads and governance', () => {
  it('never throws, admits AI in Enforce only when Anchored or Exempted, and never denies what is not AI', () => {
    fc.assert(
      fc.property(governanceArb, inputArb, (objects, { object, env, user }) => {
        const snap = buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE });
        const decision = evaluate(toInput(object, env, user), snap, NOW);
        const { ai } = isAIWorkload(object, snap);
        if (!ai) {
          expect(decision).toMatchObject({ allowed: true, reason: 'NotAIWorkload' });
        } else if (decision.mode === 'Enforce' && decision.allowed) {
          expect(['Anchored', 'Exempted']).toContain(decision.reason);
        }
        if (!decision.allowed) expect(decision.mode).toBe('Enforce');
        expect(decision.message.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON, as a workload or as an oos kind', () => {
    const snap = buildSnapshot({}, { operatorNamespace: OPERATOR_NAMESPACE });
    const kinds = fc.constantFrom(
      { group: 'apps', version: 'v1', kind: 'Deployment' },
      { group: '', version: 'v1', kind: 'Pod' },
      { group: 'ray.io', version: 'v1', kind: 'RayCluster' },
      { group: 'oos.dev', version: 'v1alpha1', kind: 'Delegation' },
      { group: 'oos.dev', version: 'v1alpha1', kind: 'Capability' },
    );
    fc.assert(
      fc.property(
        kinds,
        fc.constantFrom<'CREATE' | 'UPDATE'>('CREATE', 'UPDATE'),
        fc.anything(),
        fc.anything(),
        (kind, operation, object, oldObject) => {
          const input: AdmissionInput = {
            operation,
            kind,
            namespace: 'ml',
            object,
            oldObject,
            userInfo: { username: 'alice', groups: [] },
          };
          const decision = evaluate(input, snap, NOW);
          expect(typeof decision.allowed).toBe('boolean');
          expect(decide(input, snap, NOW)).toEqual(decision);
        },
      ),
      RUNS,
    );
  });
});
