import { describe, expect, it } from 'vitest';
import { WORKLOAD_TYPES, workloadTypeKey } from '../../api/index.js';
import { isAIWorkload } from '../decide.js';
import { auditWorkload } from '../escalation/audit.js';
import { arrayAt, at, isRecord, type JsonRecord } from '../json.js';
import { capabilityLabel, stopStep } from '../stop/index.js';
import {
  anchoredOptions,
  capability,
  controller,
  cronJob,
  deployment,
  NOW,
  pod,
  snapshot,
  type WorkloadOptions,
} from '../testing/fixtures.js';
import { podSpecAsRead, workloadAsRead } from './as-read.js';
import { CONTAINER_LISTS } from './pod.js';
import { splitApiVersion } from './view.js';

/** The pod template path of the table's row for `object`'s kind. */
function podTemplateOf(object: JsonRecord): readonly string[] | undefined {
  const { group } = splitApiVersion(String(object.apiVersion));
  const key = workloadTypeKey({ group, kind: String(object.kind) });
  return WORKLOAD_TYPES.find((type) => workloadTypeKey(type) === key)?.podTemplate;
}

/** What an apiserver adds to a pod spec that asked for none of it (read from a real Pod). */
function defaulted(podSpec: JsonRecord): JsonRecord {
  const mount = { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
  const containers = (podSpec.containers as JsonRecord[]).map((container) => ({
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: [{ ...mount, name: 'kube-api-access-7h4fp' }],
    ...container,
  }));
  return {
    ...podSpec,
    containers,
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    nodeName: 'node-1',
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
    ],
    volumes: [
      {
        name: 'kube-api-access-7h4fp',
        projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607 } }] },
      },
    ],
  };
}

const gpu = { limits: { 'nvidia.com/gpu': '2' }, requests: { cpu: '4' } };
const secretEnv = [
  { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'llm', key: 'api-key' } } },
];
const unanchored: WorkloadOptions = { image: 'nginx:1.27', resources: gpu, env: secretEnv };

/** Pods and pod controllers that take each way through the audit and the stop button. */
const workloads: readonly JsonRecord[] = [
  pod(anchoredOptions),
  pod(unanchored),
  pod({ ...anchoredOptions, serviceAccount: 'someone-else' }),
  deployment({ ...anchoredOptions, replicas: 3 }),
  deployment({ ...unanchored, replicas: 0 }),
  controller('apps/v1', 'StatefulSet', { ...anchoredOptions, replicas: 2 }),
  controller('apps/v1', 'DaemonSet', unanchored),
  controller('batch/v1', 'Job', { ...anchoredOptions, initContainers: [{ name: 'fetch' }] }),
  cronJob(anchoredOptions),
  {
    ...pod({ image: 'busybox' }),
    spec: {
      serviceAccount: 'legacy',
      hostNetwork: true,
      initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ secretRef: { name: 'k' } }] }],
      containers: [{ name: 'main', image: 'busybox' }],
      ephemeralContainers: [{ name: 'debug', image: 'vllm/vllm-openai:v0.6.3' }],
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'one-gpu' }],
    },
  },
].map((object) => mapPodSpec(object, (podSpec) => defaulted(podSpec as JsonRecord)));

/** The pod spec of `object` (at its kind's pod template). */
function podSpecOf(object: JsonRecord): unknown {
  return at(object, ...(podTemplateOf(object) ?? []), 'spec');
}

/** `object` with its pod spec replaced by `replace(podSpec)`. */
function mapPodSpec(object: JsonRecord, replace: (podSpec: unknown) => unknown): JsonRecord {
  const set = (value: unknown, keys: readonly string[]): unknown => {
    const [key, ...rest] = keys;
    if (key === undefined) return replace(value);
    return { ...(value as JsonRecord), [key]: set((value as JsonRecord)[key], rest) };
  };
  return set(object, [...(podTemplateOf(object) ?? []), 'spec']) as JsonRecord;
}

const snap = snapshot({ capabilities: [capability()] });
const stopped = capability(undefined, { suspend: true, stopAction: 'ScaleToZero' });

/** Everything the controller derives from one workload. */
function judged(object: JsonRecord): unknown {
  return {
    audit: auditWorkload(object, snap, { team: 'ml' }, NOW),
    ai: isAIWorkload(object, snap),
    label: capabilityLabel(object),
    stop: stopStep(object, stopped),
    run: stopStep(object, capability()),
  };
}

describe('a workload as the rules read it', () => {
  it('keeps of a defaulted Pod only what the rules read', () => {
    const first = workloads[0] ?? {};
    expect(at(workloadAsRead(first, []), 'spec')).toEqual({
      serviceAccountName: anchoredOptions.serviceAccount,
      containers: [{ name: 'main', image: anchoredOptions.image, resources: {} }],
    });
    const size = (value: unknown): number => JSON.stringify(value).length;
    expect(size(workloadAsRead(first, []))).toBeLessThan(size(first) / 2);
  });

  it('is judged and stopped exactly as the whole object', () => {
    for (const object of workloads) {
      const kept = workloadAsRead(object, podTemplateOf(object));
      expect(kept).not.toEqual(object);
      expect(judged(kept)).toEqual(judged(object));
    }
    // The workloads take different ways: audited with different verdicts, some stopped.
    const reasons = new Set(workloads.map((o) => auditWorkload(o, snap, undefined, NOW)?.reason));
    expect(reasons.size).toBeGreaterThan(2);
    const actions = new Set(workloads.map((o) => stopStep(o, stopped).action));
    expect([...actions].filter((action) => action !== 'none').length).toBeGreaterThan(0);
  });

  it('keeps every field the audit, the detection and the stop button read', () => {
    const keys = (value: unknown): string[] => (isRecord(value) ? Object.keys(value) : []);
    const containersOf = (podSpec: unknown): unknown[] =>
      CONTAINER_LISTS.flatMap(({ field }) => [...arrayAt(podSpec, field)]);
    for (const object of workloads) {
      const read = { podSpec: new Set<string>(), container: new Set<string>() };
      judged(watchPodSpec(object, read));
      const whole = podSpecOf(object);
      const kept = podSpecAsRead(whole);
      const dropped = (seen: Set<string>, before: unknown[], after: unknown[]): string[] => {
        const had = new Set(before.flatMap(keys));
        const has = new Set(after.flatMap(keys));
        return [...seen].filter((key) => key === '*' || (had.has(key) && !has.has(key)));
      };
      expect(dropped(read.podSpec, [whole], [kept])).toEqual([]);
      expect(dropped(read.container, containersOf(whole), containersOf(kept))).toEqual([]);
    }
  });

  it('keeps what is malformed as it is, and kinds without a pod template whole', () => {
    const notObject = { ...pod(), spec: 'none' };
    expect(workloadAsRead(notObject, [])).toEqual(notObject);
    const noList = { ...pod(), spec: { containers: 'main', tolerations: [] } };
    expect(workloadAsRead(noList, [])).toEqual({ ...noList, spec: { containers: 'main' } });
    const noContainer = { ...pod(), spec: { containers: ['main', null] } };
    expect(workloadAsRead(noContainer, [])).toEqual(noContainer);
    for (const object of [notObject, noList, noContainer]) {
      expect(judged(workloadAsRead(object, []))).toEqual(judged(object));
    }
    const template = deployment();
    const noTemplate = { ...template, spec: { replicas: 1 } };
    expect(workloadAsRead(noTemplate, podTemplateOf(template))).toBe(noTemplate);
    const custom = { apiVersion: 'ray.io/v1', kind: 'RayJob', spec: { entrypoint: 'x' } };
    expect(workloadAsRead(custom, undefined)).toBe(custom);
  });
});

/**
 * `object` with its pod spec and its containers behind proxies that note every field read (`*`
 * for a read of them all, e.g. a spread or `Object.keys`).
 */
function watchPodSpec(
  object: JsonRecord,
  read: { readonly podSpec: Set<string>; readonly container: Set<string> },
): JsonRecord {
  const watch = (value: JsonRecord, seen: Set<string>): JsonRecord =>
    new Proxy(value, {
      get: (target, key, receiver) => {
        if (typeof key === 'string') seen.add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
      getOwnPropertyDescriptor: (target, key) => {
        if (typeof key === 'string') seen.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      has: (target, key) => {
        if (typeof key === 'string') seen.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        seen.add('*');
        return Reflect.ownKeys(target);
      },
    });
  return mapPodSpec(object, (podSpec) => {
    if (!isRecord(podSpec)) return podSpec;
    const watched: Record<string, unknown> = { ...podSpec };
    for (const { field: list } of CONTAINER_LISTS) {
      if (!Array.isArray(podSpec[list])) continue;
      watched[list] = (podSpec[list] as unknown[]).map((container) =>
        isRecord(container) ? watch(container, read.container) : container,
      );
    }
    return watch(watched, read.podSpec);
  });
}
