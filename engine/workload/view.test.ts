import { describe, expect, it } from 'vitest';
import { controller, cronJob, deployment, pod } from '../testing/fixtures.js';
import {
  describeObject,
  kindOfObject,
  labelOf,
  readWorkload,
  splitApiVersion,
  structuralProblem,
  type KindRef,
} from './view.js';

function view(object: Record<string, unknown>) {
  const kind = kindOfObject(object);
  if (kind === undefined) throw new Error('fixture without a kind');
  return readWorkload(object, kind, undefined, undefined);
}

describe('reading workloads', () => {
  it('splits apiVersion into group and version', () => {
    expect(splitApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(kindOfObject({ apiVersion: 'ray.io/v1', kind: 'RayJob' })).toEqual({
      group: 'ray.io',
      version: 'v1',
      kind: 'RayJob',
    });
    expect(kindOfObject({ kind: 'RayJob' })).toBeUndefined();
  });

  it('reads a Pod: its own spec, one replica', () => {
    const read = view(pod({ serviceAccount: 'sa', labels: { a: 'b' } }));
    expect(read.builtIn).toBe(true);
    expect(read.pods.map((p) => [p.where, p.serviceAccount])).toEqual([['spec', 'sa']]);
    expect(read.replicas).toBe(1);
    expect(labelOf(read, 'a')).toBe('b');
  });

  it.each([
    ['apps/v1', 'StatefulSet', 3, 3],
    ['apps/v1', 'ReplicaSet', 2, 2],
    ['apps/v1', 'ReplicaSet', undefined, 1],
    ['apps/v1', 'DaemonSet', undefined, undefined],
  ])('reads a %s %s template and replicas', (apiVersion, kind, replicas, expected) => {
    const read = view(controller(apiVersion, kind, { replicas, templateLabels: { t: 'x' } }));
    expect(read.pods.map((p) => p.where)).toEqual(['spec.template.spec']);
    expect(read.replicas).toBe(expected);
    expect(read.templateLabels.get('t')).toBe('x');
  });

  it('reads a Deployment, a Job (parallelism) and a CronJob (job template)', () => {
    expect(view(deployment({ replicas: 5 })).replicas).toBe(5);
    const job = controller('batch/v1', 'Job', {});
    expect(view({ ...job, spec: { ...(job.spec as object), parallelism: 4 } }).replicas).toBe(4);
    const cron = view(cronJob({ serviceAccount: 'nightly' }));
    expect(cron.pods.map((p) => [p.where, p.serviceAccount])).toEqual([
      ['spec.jobTemplate.spec.template.spec', 'nightly'],
    ]);
    expect(cron.replicas).toBe(1);
  });

  it('prefers the object label to the template label', () => {
    const read = view(
      deployment({ labels: { k: 'object' }, templateLabels: { k: 'template', only: 't' } }),
    );
    expect(labelOf(read, 'k')).toBe('object');
    expect(labelOf(read, 'only')).toBe('t');
  });

  it('walks AI kinds: Ray worker groups, their ServiceAccounts and the largest replica count', () => {
    const rayCluster = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'r', namespace: 'ml' },
      spec: {
        headGroupSpec: {
          template: {
            metadata: { labels: { l: 'head' } },
            spec: {
              serviceAccountName: 'ray',
              containers: [{ name: 'head', image: 'rayproject/ray:2.9' }],
            },
          },
        },
        workerGroupSpecs: [
          {
            replicas: 2,
            maxReplicas: 6,
            template: {
              spec: {
                containers: [
                  {
                    name: 'w',
                    image: 'rayproject/ray:2.9',
                    resources: { limits: { 'nvidia.com/gpu': 1 } },
                  },
                ],
              },
            },
          },
        ],
      },
    };
    const read = view(rayCluster);
    expect(read.builtIn).toBe(false);
    expect(read.pods.map((p) => [p.where, p.serviceAccount])).toEqual([
      ['spec.headGroupSpec.template.spec', 'ray'],
      ['spec.workerGroupSpecs[0].template.spec', 'default'],
    ]);
    expect(read.replicas).toBe(6);
    expect(read.templateLabels.get('l')).toBe('head');
  });

  it("walks KServe: the predictor's model is a container, the predictor's ServiceAccount applies", () => {
    const read = view({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm' },
      spec: {
        predictor: {
          serviceAccountName: 'kserve-sa',
          maxReplicas: 3,
          model: {
            modelFormat: { name: 'huggingface' },
            resources: { limits: { 'nvidia.com/gpu': '1' } },
          },
        },
      },
    });
    expect(read.pods.map((p) => [p.where, p.serviceAccount, p.containers[0]?.name])).toEqual([
      ['spec.predictor.model', 'kserve-sa', 'model'],
    ]);
    expect(read.replicas).toBe(3);
  });

  it('stops walking huge or deep objects', () => {
    let deep: Record<string, unknown> = { containers: [{ image: 'deep' }] };
    for (let i = 0; i < 40; i += 1) deep = { nested: deep };
    expect(view({ apiVersion: 'x.io/v1', kind: 'Deep', spec: deep }).pods).toEqual([]);
    const wide = {
      apiVersion: 'x.io/v1',
      kind: 'Wide',
      spec: { items: Array.from({ length: 10_000 }, (_, i) => ({ i })) },
    };
    expect(() => view(wide)).not.toThrow();
  });

  it('names objects in messages', () => {
    expect(describeObject('Deployment', 'ml', 'vllm')).toBe('Deployment ml/vllm');
    expect(describeObject('AccountableRole', undefined, 'cro')).toBe('AccountableRole cro');
    expect(describeObject('Pod', 'ml', undefined)).toBe('Pod ml/(unnamed)');
  });
});

describe('unreadable workloads', () => {
  const deploymentKind: KindRef = { group: 'apps', version: 'v1', kind: 'Deployment' };

  it.each<[Record<string, unknown>, string | undefined]>([
    [deployment(), undefined],
    [{ metadata: 'x', spec: {} }, 'metadata is not an object'],
    [{ spec: 5 }, 'spec.template.spec is missing or not an object'],
    [
      { spec: { template: { spec: { containers: 'x' } } } },
      'spec.template.spec.containers is not a list',
    ],
  ])('%j → %s', (object, problem) => {
    expect(structuralProblem(object, deploymentKind)).toBe(problem);
  });

  it('reads custom kinds leniently', () => {
    expect(
      structuralProblem({ spec: 5 }, { group: 'ray.io', version: 'v1', kind: 'RayJob' }),
    ).toBeUndefined();
  });
});
