import { apiVersionOfType, WORKLOAD_TYPES } from '../../api/index.js';
import type { Logger } from 'pino';
import type { GovernanceSource, ScaleTargetRef } from '../../webhooks/governance-source.js';
import type { KubeRest } from '../kube/rest.js';
import { Informer, type KubeObject } from './informer.js';

/** The workloads whose `scale` subresource the webhook judges (the table's rows that judge it). */
export const SCALE_TARGETS: readonly Target[] = WORKLOAD_TYPES.filter((type) =>
  type.subresources.includes('scale'),
).map(({ group, version, kind, plural }) => ({ group, version, kind, resource: plural }));

interface Target {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function pick(from: Readonly<Record<string, unknown>>, keys: readonly string[]): object {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/**
 * What the cache keeps of a workload: what the engine reads to judge a scale (its apiVersion and
 * kind, name, namespace, labels, owners, resourceVersion, deletion mark, and the spec with its pod
 * template). Status, managed fields and annotations (often a whole copy of the manifest in
 * `kubectl.kubernetes.io/last-applied-configuration`) are dropped.
 */
export function projectWorkload(target: Target, object: KubeObject): KubeObject {
  const metadata = (object.metadata ?? {}) as Readonly<Record<string, unknown>>;
  const { spec } = object as { spec?: unknown };
  return {
    apiVersion: apiVersionOfType(target),
    kind: target.kind,
    metadata: pick(metadata, [
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'generation',
      'labels',
      'ownerReferences',
      'deletionTimestamp',
    ]),
    spec,
  } as KubeObject;
}

/**
 * The workloads a `scale` request may target, list + watch in all namespaces on every replica
 * (the admission path reads them, never the API): an autoscaling/v1 `Scale` carries no labels and
 * no template, so the engine judges the stored workload with the Scale's replicas.
 */
export class ScaleTargets {
  private readonly informers: ReadonlyMap<string, Informer<KubeObject>>;

  constructor(options: {
    readonly rest: KubeRest;
    readonly logger: Logger;
    readonly onWatchRestart?: (kind: string, cause: string) => void;
  }) {
    this.informers = new Map(
      SCALE_TARGETS.map((target) => [
        `${target.group}/${target.resource}`,
        new Informer<KubeObject>({
          name: target.kind,
          path: `${target.group === '' ? '/api' : `/apis/${target.group}`}/${target.version}/${target.resource}`,
          rest: options.rest,
          logger: options.logger,
          onChange: () => undefined,
          onRestart: (cause) => options.onWatchRestart?.(target.kind, cause),
          project: (object) => projectWorkload(target, object),
        }),
      ]),
    );
  }

  start(): void {
    for (const informer of this.informers.values()) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
  }

  synced(): boolean {
    return [...this.informers.values()].every((informer) => informer.synced());
  }

  pending(): readonly string[] {
    return [...this.informers.values()].filter((i) => !i.synced()).map((i) => i.name);
  }

  /** The cached workload, or undefined (a resource oos does not scale-judge, or not seen yet). */
  get(ref: ScaleTargetRef): unknown {
    return this.informers.get(`${ref.group}/${ref.resource}`)?.get(ref.namespace, ref.name);
  }

  /**
   * Waits until the cache holds the workload at `ref.resourceVersion` (the version the apiserver
   * is scaling), polling, for at most `timeoutMs`: a workload created or changed an instant
   * before it is scaled reaches the watch a few milliseconds later.
   */
  async caughtUp(ref: ScaleTargetRef, timeoutMs: number): Promise<void> {
    const informer = this.informers.get(`${ref.group}/${ref.resource}`);
    if (informer === undefined || ref.resourceVersion === undefined) return;
    const deadline = Date.now() + timeoutMs;
    while (
      informer.get(ref.namespace, ref.name)?.metadata?.resourceVersion !== ref.resourceVersion
    ) {
      if (Date.now() >= deadline) return;
      await sleep(20);
    }
  }
}

/** A governance source that also answers for scale targets (and is synced once both are). */
export function withScaleTargets(
  governance: GovernanceSource,
  targets: ScaleTargets,
): GovernanceSource {
  return {
    snapshot: () => governance.snapshot(),
    namespaceLabels: (namespace) => governance.namespaceLabels(namespace),
    namespaceTerminating: (namespace) => governance.namespaceTerminating?.(namespace) === true,
    synced: () => governance.synced() && targets.synced(),
    pending: () => [...governance.pending(), ...targets.pending()],
    staleSince: () => governance.staleSince?.(),
    scaleTarget: (ref) => targets.get(ref),
    scaleTargetCaughtUp: (ref, timeoutMs) => targets.caughtUp(ref, timeoutMs),
  };
}
