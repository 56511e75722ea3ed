import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GovernanceCache } from '../cache/governance-cache.js';
import type { OperatorConfig } from '../config.js';
import { startController, type RunningController } from '../controller/index.js';
import type { KubeRest } from '../kube/rest.js';
import { controllerMetrics } from '../metrics/controller-metrics.js';
import { LeaderElector } from './elector.js';
import { timingsFor } from './record.js';

export interface ElectedControllerDeps {
  readonly rest: KubeRest;
  readonly cache: GovernanceCache;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly config: OperatorConfig;
  readonly clock?: () => Date;
}

/**
 * Runs the controller on the replica that holds the Lease (`--lease-name` in the operator's
 * namespace), or at once with `--no-leader-elect`. `stop()` stops the controller and releases
 * the Lease, so another replica takes over without waiting for it to expire.
 */
export function startElectedController(deps: ElectedControllerDeps): {
  stop(): Promise<void>;
} {
  const { config, logger } = deps;
  const clock = deps.clock ?? ((): Date => new Date());
  const metrics = controllerMetrics(deps.registry);
  const identity = `${hostname()}_${randomUUID()}`;
  let running: RunningController | undefined;
  const start = (): void => {
    running = startController({
      rest: deps.rest,
      cache: deps.cache,
      registry: deps.registry,
      logger,
      clock,
      config: {
        identity,
        auditIntervalMs: config.auditInterval,
        alertmanagerUrl: config.alertmanagerUrl,
        escalationWebhookUrl: config.escalationWebhookUrl,
        reports: config.reports,
      },
    });
  };
  const stop = async (): Promise<void> => {
    const current = running;
    running = undefined;
    await current?.stop();
  };
  if (!config.leaderElect) {
    metrics.leader.set(1);
    start();
    return {
      stop: async () => {
        await stop();
        metrics.leader.set(0);
      },
    };
  }
  metrics.leader.set(0);
  const elector = new LeaderElector({
    rest: deps.rest,
    logger,
    namespace: config.namespace,
    name: config.leaseName,
    identity,
    clock,
    timings: timingsFor(config.leaseDuration),
    onStartedLeading: start,
    onStoppedLeading: stop,
    onLeaderChange: (leading) => {
      metrics.leader.set(leading ? 1 : 0);
    },
  });
  elector.start();
  return { stop: () => elector.stop() };
}
