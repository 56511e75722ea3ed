import type { Logger } from 'pino';
import { Informer, type KubeObject } from '../cache/informer.js';
import type { KubeRest } from '../kube/rest.js';
import { apiVersionOf, clusterPath, WORKLOAD_RESOURCES, type Resource } from './paths.js';

export type Workload = Readonly<Record<string, unknown>>;

/**
 * List + watch (paged lists, resumable watches: the governance cache's Informer) of every workload
 * kind the background audit and the stop button need: Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, Jobs, CronJobs, Pods and ReplicationControllers, in all namespaces.
 */
export class WorkloadInformers {
  private readonly informers: readonly { resource: Resource; informer: Informer<KubeObject> }[];
  private readonly typed = new WeakMap<object, Workload>();

  constructor(options: {
    readonly rest: KubeRest;
    readonly logger: Logger;
    readonly onChange: () => void;
    readonly onRestart?: (kind: string, cause: string) => void;
  }) {
    this.informers = WORKLOAD_RESOURCES.map((resource) => ({
      resource,
      informer: new Informer<KubeObject>({
        name: resource.kind,
        path: clusterPath(resource),
        rest: options.rest,
        logger: options.logger,
        onChange: options.onChange,
        onRestart: (cause) => options.onRestart?.(resource.kind, cause),
      }),
    }));
  }

  start(): void {
    for (const { informer } of this.informers) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map(({ informer }) => informer.stop()));
  }

  synced(): boolean {
    return this.informers.every(({ informer }) => informer.synced());
  }

  /** Every workload, with its apiVersion and kind (list items come without them). */
  all(): Workload[] {
    return this.informers.flatMap(({ resource, informer }) =>
      informer.items().map((item) => this.withType(resource, item)),
    );
  }

  /** One workload by `group/Kind`, namespace and name. */
  get(groupKind: string, namespace: string, name: string): Workload | undefined {
    const found = this.informers.find(
      ({ resource }) => `${resource.group}/${resource.kind}` === groupKind,
    );
    const item = found?.informer.get(namespace, name);
    return found === undefined || item === undefined
      ? undefined
      : this.withType(found.resource, item);
  }

  private withType(resource: Resource, item: KubeObject): Workload {
    let typed = this.typed.get(item);
    if (typed === undefined) {
      typed = { ...item, apiVersion: apiVersionOf(resource), kind: resource.kind };
      this.typed.set(item, typed);
    }
    return typed;
  }
}
