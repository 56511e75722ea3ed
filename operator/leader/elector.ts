import type { Logger } from 'pino';
import type { KubeRest } from '../kube/rest.js';
import { microTime } from '../controller/events/time.js';
import {
  claim,
  DEFAULT_TIMINGS,
  mayAcquire,
  observe,
  release,
  renewDeadlinePassed,
  type ElectionTimings,
  type LeaseSpec,
  type Observed,
} from './record.js';
import { isConflict, isNotFound } from '../kube/errors.js';

interface Lease {
  readonly metadata: { readonly resourceVersion?: string; readonly name?: string };
  readonly spec?: LeaseSpec;
}

export interface ElectorOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly namespace: string;
  readonly name: string;
  /** Unique per replica, e.g. `<hostname>_<uuid>`. */
  readonly identity: string;
  readonly clock: () => Date;
  readonly timings?: ElectionTimings;
  /** Called when this replica becomes the leader. */
  readonly onStartedLeading: () => void;
  /** Called when it stops leading (lost the lease, or shutting down); awaited before releasing. */
  readonly onStoppedLeading: () => Promise<void>;
  readonly onLeaderChange?: (leading: boolean) => void;
}

/**
 * Leader election with a coordination.k8s.io/v1 Lease: every `retryPeriod` each replica tries to
 * take (or, as leader, renew) the lease; a leader that cannot renew within `renewDeadline` stops
 * leading; `stop()` releases the lease so another replica takes over at once.
 */
export class LeaderElector {
  private observed: Observed | undefined;
  private leading = false;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly timings: ElectionTimings;
  private readonly path: string;

  constructor(private readonly options: ElectorOptions) {
    this.timings = options.timings ?? DEFAULT_TIMINGS;
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${options.namespace}/leases`;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops electing; a leader stops leading first, then releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!this.leading) return;
    await this.stepDown();
    try {
      const lease = await this.options.rest.request<Lease>(
        'GET',
        `${this.path}/${this.options.name}`,
      );
      if (lease.spec?.holderIdentity === this.options.identity) {
        await this.options.rest.request('PUT', `${this.path}/${this.options.name}`, {
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: lease.metadata,
            spec: release(lease.spec, microTime(this.options.clock())),
          },
        });
        this.options.logger.info({ lease: this.options.name }, 'leader lease released');
      }
    } catch (error) {
      this.options.logger.warn({ err: String(error) }, 'could not release the leader lease');
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.timings.retryPeriodMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let outcome: 'won' | 'held' | 'error';
    try {
      outcome = await this.tryAcquireOrRenew();
    } catch (error) {
      outcome = 'error';
      this.options.logger.warn(
        { err: String(error) },
        'leader election: could not read or write the lease',
      );
    }
    const now = this.options.clock().getTime();
    if (outcome === 'won') {
      this.lastRenew = now;
      if (!this.leading && !this.stopped) {
        this.leading = true;
        this.options.onLeaderChange?.(true);
        this.options.logger.info({ identity: this.options.identity }, 'became the leader');
        this.options.onStartedLeading();
      }
      return;
    }
    if (!this.leading) return;
    if (outcome === 'held' || renewDeadlinePassed(this.lastRenew, now, this.timings)) {
      this.options.logger.error(
        { cause: outcome === 'held' ? 'another replica holds the lease' : 'renew deadline passed' },
        'lost the leader lease; stopping the controller',
      );
      await this.stepDown();
    }
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.options.onLeaderChange?.(false);
    await this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<'won' | 'held'> {
    const { rest, name, identity } = this.options;
    const now = this.options.clock();
    const stamp = microTime(now);
    let lease: Lease;
    try {
      lease = await rest.request<Lease>('GET', `${this.path}/${name}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await rest.request('POST', this.path, {
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace: this.options.namespace },
          spec: claim(undefined, identity, this.timings.leaseDurationMs, stamp),
        },
      });
      return 'won';
    }
    const spec = lease.spec ?? {};
    this.observed = observe(this.observed, spec, now.getTime());
    if (!mayAcquire(this.observed, identity, now.getTime())) return 'held';
    try {
      const written = await rest.request<Lease>('PUT', `${this.path}/${name}`, {
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: lease.metadata,
          spec: claim(spec, identity, this.timings.leaseDurationMs, stamp),
        },
      });
      this.observed = observe(this.observed, written.spec ?? {}, now.getTime());
      return 'won';
    } catch (error) {
      if (isConflict(error)) return 'held';
      throw error;
    }
  }
}
