/**
 * fast-check arbitraries of hostile AdmissionReview bodies, for the fuzz test
 * (`webhooks/app.fuzz.test.ts`) and the long fuzz run (`npm run fuzz`). A body starts as a
 * well-formed review of every kind oos sees (each workload kind, each oos kind, Namespaces,
 * the scale, status and ephemeralcontainers subresources, every operation and several kinds of
 * requester), then gets up to three values replaced by hostile ones (deep nesting, huge or odd
 * strings, `__proto__`/`constructor` keys, numbers as strings, arrays for objects, anything
 * JSON can hold), and sometimes damaged as text (cut short, junk inserted). Test code only.
 */
import fc from 'fast-check';
import {
  admin,
  alice,
  anchoredOptions,
  capability,
  controller,
  cronJob,
  delegation,
  deployment,
  escalation,
  escalationPolicy,
  exemption,
  gitops,
  NAMESPACE,
  OPERATOR_NAMESPACE,
  pod,
  podSpec,
  policy,
  robot,
  role,
} from '../../engine/testing/fixtures.js';

type Json = Record<string, unknown>;

/** Raw JSON text spliced into a body where a value would be (what JSON.stringify cannot make). */
class RawJson {
  constructor(readonly text: string) {}
}

const plain = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;
const template = (labels: Json = {}): Json => ({
  metadata: { labels },
  spec: podSpec(anchoredOptions),
});
const meta = (name: string, labels: Json = {}): Json => ({ name, namespace: NAMESPACE, labels });

/** What oos is sent, with the resource and subresource each object comes with. */
interface Base {
  readonly object: Json;
  readonly resource: string;
  readonly subResources: readonly string[];
}

const workloadLabels = anchoredOptions.labels ?? {};

const BASES: readonly Base[] = [
  {
    object: pod(anchoredOptions),
    resource: 'pods',
    subResources: ['ephemeralcontainers', 'status'],
  },
  {
    object: {
      ...pod(anchoredOptions),
      spec: {
        ...podSpec(anchoredOptions),
        ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'main' }],
      },
    },
    resource: 'pods',
    subResources: ['ephemeralcontainers'],
  },
  {
    object: deployment(anchoredOptions),
    resource: 'deployments',
    subResources: ['scale', 'status'],
  },
  { object: deployment(), resource: 'deployments', subResources: ['scale'] },
  {
    object: controller('apps/v1', 'StatefulSet', { ...anchoredOptions, replicas: 2 }),
    resource: 'statefulsets',
    subResources: ['scale'],
  },
  {
    object: controller('apps/v1', 'ReplicaSet', anchoredOptions),
    resource: 'replicasets',
    subResources: ['scale'],
  },
  {
    object: controller('apps/v1', 'DaemonSet', anchoredOptions),
    resource: 'daemonsets',
    subResources: [],
  },
  { object: controller('batch/v1', 'Job', anchoredOptions), resource: 'jobs', subResources: [] },
  { object: cronJob(anchoredOptions), resource: 'cronjobs', subResources: [] },
  {
    object: controller('v1', 'ReplicationController', { ...anchoredOptions, replicas: 1 }),
    resource: 'replicationcontrollers',
    subResources: ['scale'],
  },
  {
    object: {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: meta('app'),
      spec: { replicas: 5 },
      status: { replicas: 1, selector: 'app=x' },
    },
    resource: 'deployments',
    subResources: ['scale'],
  },
  {
    object: {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: meta('ray', workloadLabels),
      spec: {
        headGroupSpec: { rayStartParams: {}, template: template(workloadLabels) },
        workerGroupSpecs: [{ groupName: 'gpu', replicas: 2, maxReplicas: 8, template: template() }],
      },
    },
    resource: 'rayclusters',
    subResources: ['status'],
  },
  {
    object: {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: meta('train', workloadLabels),
      spec: {
        pytorchReplicaSpecs: {
          Master: { replicas: 1, template: template(workloadLabels) },
          Worker: { replicas: 4, template: template(workloadLabels) },
        },
      },
    },
    resource: 'pytorchjobs',
    subResources: [],
  },
  {
    object: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: meta('llm', workloadLabels),
      spec: {
        predictor: {
          serviceAccountName: 'chat-bot',
          model: {
            modelFormat: { name: 'huggingface' },
            resources: { limits: { 'nvidia.com/gpu': '1' } },
          },
        },
      },
    },
    resource: 'inferenceservices',
    subResources: [],
  },
  {
    object: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: { 'oos.dev/enforcement': 'Enforce' } },
    },
    resource: 'namespaces',
    subResources: [],
  },
  { object: role(), resource: 'accountableroles', subResources: ['status'] },
  { object: capability(), resource: 'capabilities', subResources: ['status'] },
  { object: delegation(), resource: 'delegations', subResources: ['status'] },
  { object: exemption('incident'), resource: 'exemptions', subResources: ['status'] },
  { object: escalationPolicy('pager'), resource: 'escalationpolicies', subResources: [] },
  { object: escalation('expired'), resource: 'escalations', subResources: ['status'] },
  { object: policy(), resource: 'governancepolicies', subResources: [] },
].map((base) => ({ ...base, object: plain(base.object) }));

const USERS = [
  alice,
  robot,
  admin,
  gitops,
  {
    username: `system:serviceaccount:${OPERATOR_NAMESPACE}:oos`,
    groups: ['system:serviceaccounts'],
  },
  { username: 'root', groups: ['system:masters'], extra: { 'scopes.example': ['a', 'b'] } },
  { username: '', groups: [] },
];

/** Values an adversary puts where oos expects something else. */
const deep = (depth: number, open = '[', close = ']'): RawJson =>
  new RawJson(open.repeat(depth) + 'null' + close.repeat(depth));
/** Costly values: bodies nested 10,000 and 100,000 deep, strings up to 400 KB (large bodies). */
const heavyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(deep(10_000), deep(100_000, '{"k":', '}')),
  fc.integer({ min: 100_000, max: 400_000 }).map((n) => 'x'.repeat(n)),
);

/** `heavy` is the weight of {@link heavyValue} against 200 for the others. */
const hostileValue = (heavy: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 60, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 20, arbitrary: fc.integer({ min: 90, max: 140 }).map((d) => deep(d)) },
    {
      weight: 10,
      arbitrary: fc
        .integer({ min: 1, max: 60 })
        .map((d) => new RawJson('{"a":'.repeat(d) + '1' + '}'.repeat(d))),
    },
    { weight: heavy, arbitrary: heavyValue },
    { weight: 10, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
    {
      weight: 20,
      arbitrary: fc.constantFrom(
        new RawJson('{"__proto__":{"polluted":true,"allowed":true}}'),
        new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
        new RawJson('{"__proto__":[],"toString":1,"valueOf":"x","hasOwnProperty":null}'),
        new RawJson('[{"__proto__":{"image":"vllm/vllm-openai"}}]'),
      ),
    },
    {
      weight: 20,
      arbitrary: fc.constantFrom(
        new RawJson('1e999'),
        new RawJson('-1e999'),
        new RawJson('-0'),
        new RawJson('123456789012345678901234567890'),
        new RawJson('0.1e-400'),
        '3',
        '1Gi',
        '-1',
        'NaN',
        'true',
        '',
        Number.MAX_SAFE_INTEGER + 2,
        -1,
        2 ** 31,
        1.5,
      ),
    },
    { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => [v]) },
    { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ 0: v, length: 1 })) },
    { weight: 10, arbitrary: fc.constantFrom(null, true, {}, [], 0) },
  );

/** Paths worth aiming at, below the AdmissionReview; others are picked among the body's own. */
const NAMED_PATHS: readonly (readonly string[])[] = [
  ['request'],
  ['request', 'uid'],
  ['request', 'kind'],
  ['request', 'kind', 'group'],
  ['request', 'kind', 'kind'],
  ['request', 'resource'],
  ['request', 'subResource'],
  ['request', 'operation'],
  ['request', 'name'],
  ['request', 'namespace'],
  ['request', 'userInfo'],
  ['request', 'userInfo', 'username'],
  ['request', 'userInfo', 'groups'],
  ['request', 'userInfo', 'extra'],
  ['request', 'dryRun'],
  ['request', 'object'],
  ['request', 'object', 'apiVersion'],
  ['request', 'object', 'kind'],
  ['request', 'object', 'metadata'],
  ['request', 'object', 'metadata', 'labels'],
  ['request', 'object', 'metadata', 'labels', 'oos.dev/capability'],
  ['request', 'object', 'metadata', 'annotations'],
  ['request', 'object', 'metadata', 'ownerReferences'],
  ['request', 'object', 'metadata', 'deletionTimestamp'],
  ['request', 'object', 'spec'],
  ['request', 'object', 'spec', 'replicas'],
  ['request', 'object', 'spec', 'template', 'metadata', 'labels'],
  ['request', 'object', 'spec', 'template', 'spec'],
  ['request', 'object', 'spec', 'template', 'spec', 'serviceAccountName'],
  ['request', 'object', 'spec', 'template', 'spec', 'containers'],
  ['request', 'object', 'spec', 'template', 'spec', 'containers', '0', 'image'],
  ['request', 'object', 'spec', 'template', 'spec', 'containers', '0', 'resources'],
  ['request', 'object', 'spec', 'containers', '0', 'image'],
  ['request', 'object', 'spec', 'holders'],
  ['request', 'object', 'spec', 'grantedBy'],
  ['request', 'object', 'spec', 'approvedBy'],
  ['request', 'object', 'spec', 'scope'],
  ['request', 'object', 'status'],
  ['request', 'oldObject'],
  ['request', 'oldObject', 'spec'],
  ['request', 'oldObject', 'metadata', 'labels'],
  ['apiVersion'],
  ['kind'],
];

/** Every path in `value`, depth first, up to `max` of them. */
function pathsOf(value: unknown, max = 400): string[][] {
  const found: string[][] = [];
  const stack: [unknown, string[]][] = [[value, []]];
  while (stack.length > 0 && found.length < max) {
    const [node, path] = stack.pop() ?? [undefined, []];
    if (path.length > 0) found.push(path);
    if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) stack.push([child, [...path, key]]);
    }
  }
  return found;
}

/** Sets `path` in `root` to `value` (creating what is missing), or removes it when undefined. */
function setPath(root: Json, path: readonly string[], value: unknown): void {
  let cursor: Json = root;
  for (const key of path.slice(0, -1)) {
    let next = cursor[key];
    if (typeof next !== 'object' || next === null) {
      next = {};
      cursor[key] = next;
    }
    cursor = next as Json;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (value === undefined) Reflect.deleteProperty(cursor, last);
  else cursor[last] = value;
}

/** JSON text of `value`, with every {@link RawJson} spliced in as it is. */
function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000RAW${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(
    /"\\u0000RAW(\d+)\\u0000"/g,
    (_match, index: string) => raws[Number(index)] ?? 'null',
  );
}

/** A well-formed review of one of the bases. */
const wellFormed: fc.Arbitrary<Json> = fc
  .record({
    base: fc.constantFrom(...BASES),
    operation: fc.constantFrom('CREATE', 'UPDATE', 'UPDATE', 'DELETE', 'CONNECT'),
    sub: fc.nat(),
    withSub: fc.boolean(),
    user: fc.constantFrom(...USERS),
    uid: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 })),
    dryRun: fc.option(fc.boolean(), { nil: undefined }),
    namespace: fc.constantFrom(NAMESPACE, OPERATOR_NAMESPACE, 'kube-system', ''),
  })
  .map(({ base, operation, sub, withSub, user, uid, dryRun, namespace }) => {
    const object = structuredClone(base.object);
    const [group, version] = String(object.apiVersion).includes('/')
      ? String(object.apiVersion).split('/')
      : ['', String(object.apiVersion)];
    const subResource = withSub
      ? base.subResources[sub % Math.max(1, base.subResources.length)]
      : undefined;
    const name = (object.metadata as { name?: string } | undefined)?.name;
    return {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid,
        kind: { group, version, kind: object.kind },
        resource: { group, version, resource: base.resource },
        ...(subResource === undefined ? {} : { subResource }),
        name,
        ...(namespace === '' || object.kind === 'Namespace' ? {} : { namespace }),
        operation,
        userInfo: structuredClone(user),
        object: operation === 'DELETE' ? null : object,
        ...(operation === 'CREATE' ? {} : { oldObject: structuredClone(base.object) }),
        ...(dryRun === undefined ? {} : { dryRun }),
        options: {
          apiVersion: 'meta.k8s.io/v1',
          kind: `${operation[0]}${operation.slice(1).toLowerCase()}Options`,
        },
      },
    };
  });

/** Where to put a hostile value: a named path, or one of the body's own. */
const target = fc.oneof(
  fc.constantFrom(...NAMED_PATHS).map((path) => () => path),
  fc.nat().map((n) => (review: Json) => {
    const paths = pathsOf(review);
    return paths[n % paths.length] ?? ['request'];
  }),
);

/** A well-formed review with up to three values replaced (or removed). */
const mutated = (heavy: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      wellFormed,
      fc.array(fc.tuple(target, fc.option(hostileValue(heavy), { nil: undefined, freq: 8 })), {
        maxLength: 3,
      }),
    )
    .map(([review, mutations]) => {
      for (const [where, value] of mutations) {
        // Generated values may be shared (constants): put a copy in, never the value itself.
        const copy = value instanceof RawJson ? value : structuredClone(value);
        setPath(review, where(review), copy);
      }
      return serialize(review);
    });

/** Text damage: cut short, a character replaced, junk inserted, or none. */
const damaged = (mutated: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: mutated },
    {
      weight: 2,
      arbitrary: fc.tuple(mutated, fc.nat()).map(([raw, n]) => raw.slice(0, n % (raw.length + 1))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          mutated,
          fc.nat(),
          fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', 'é', '\ud800'),
        )
        .map(([raw, n, junk]) => {
          const at = n % (raw.length + 1);
          return raw.slice(0, at) + junk + raw.slice(at + 1);
        }),
    },
    { weight: 1, arbitrary: mutated.map((raw) => `\ufeff ${raw}\n\n`) },
  );

/**
 * Raw bodies: hostile reviews, and now and then something that is no review at all. `heavy` is
 * the weight of the costly values against 200 for the others: 10 for the long run (`npm run
 * fuzz`), 1 for `npm test`, which must stay quick.
 */
export const hostileBody = (heavy = 10): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 16, arbitrary: damaged(mutated(heavy)) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"x"', '{"request":{"uid":"only-a-uid"}}'),
    },
  );

/** The endpoint a body is posted to. */
export const endpoint: fc.Arbitrary<'/validate' | '/mutate'> = fc.constantFrom(
  '/validate',
  '/validate',
  '/mutate',
);
