import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { buildApp, type TlsSource } from '../webhooks/app.js';
import { closeGracefully } from '../webhooks/close.js';
import type { GovernanceSource } from '../webhooks/governance-source.js';
import type { RegistrationOptions } from '../webhooks/registration.js';
import { FileTlsSource } from '../webhooks/tls/file-source.js';
import { GovernanceCache } from './cache/governance-cache.js';
import { ScaleTargets, withScaleTargets } from './cache/scale-targets.js';
import { SelfManagedTls } from './certificates/self-managed.js';
import { ConfigError, HELP, loadConfig, type OperatorConfig } from './config.js';
import { KubeRest } from './kube/rest.js';
import { checkCluster, StartupError } from './kube/preflight.js';
import { KubeApiError } from './kube/rest.js';
import { IdentityUnknownError, whoAmI } from './kube/whoami.js';
import { ControllerThread } from './controller-thread/host.js';
import { apiAccess } from './kube/config.js';
import { kindsKey, policyKinds, resolvePolicyWorkloads } from './policy-workloads.js';
import {
  applyWebhookConfigurations,
  keepPublished,
  publishCaBundle,
  registrationDrifted,
  type Publisher,
} from './webhook-registration.js';

/** How often the webhook configurations oos applies are compared with what is stored. */
const DRIFT_CHECK_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The names the serving certificate must cover. */
function servingNames(config: OperatorConfig): { dnsNames: string[]; ipAddresses: string[] } {
  if (config.webhookUrl) {
    const host = new URL(config.webhookUrl).hostname.replace(/^\[|\]$/g, '');
    return isIP(host)
      ? { dnsNames: [], ipAddresses: [host] }
      : { dnsNames: [host], ipAddresses: [] };
  }
  const svc = `${config.serviceName}.${config.namespace}.svc`;
  return { dnsNames: [svc, `${svc}.cluster.local`], ipAddresses: [] };
}

async function waitForSync(cache: GovernanceSource, logger: Logger): Promise<void> {
  for (let waited = 0; !cache.synced(); waited += 100) {
    if (waited > 0 && waited % 10_000 === 0) {
      logger.info({ pending: cache.pending() }, 'waiting for the governance cache to sync');
    }
    await sleep(100);
  }
}

/** Wires the operator: config, kube client, cache, TLS, admission server, registration. */
export async function run(config: OperatorConfig): Promise<() => Promise<void>> {
  const logger = pino({ level: config.logLevel, base: { component: 'oos' } });
  const rest = new KubeRest(apiAccess(config));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oos_process_' });
  const watchRestarts = new Counter({
    name: 'oos_watch_restarts_total',
    help: 'Watches of the governance cache restarted, by kind and cause (error, gone, quiet).',
    labelNames: ['kind', 'cause'],
    registers: [registry],
  });
  const threadRestarts = new Counter({
    name: 'oos_controller_thread_restarts_total',
    help: 'Times the controller thread ended unexpectedly and was started again, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const operatorUser = config.operatorUser ?? (await whoAmI(rest));
  logger.info({ operatorUser }, 'the operator acts as this identity');
  await checkCluster(rest, config.namespace);
  const cache = new GovernanceCache({
    rest,
    logger,
    engine: { operatorNamespace: config.namespace, operatorUser },
    // Admission decides from the specs (and an Escalation's status, always kept).
    keepOutputStatus: false,
    onWatchRestart: (kind, cause) => {
      watchRestarts.inc({ kind, cause });
    },
  });
  cache.start();
  // Every replica judges scale requests, so every replica caches the workloads they target.
  const scaleTargets = new ScaleTargets({
    rest,
    logger,
    onWatchRestart: (kind, cause) => {
      watchRestarts.inc({ kind, cause });
    },
  });
  scaleTargets.start();
  const governance = withScaleTargets(cache, scaleTargets);

  let caBundle: string | undefined = config.caBundleFile
    ? readFileSync(config.caBundleFile, 'utf8')
    : undefined;
  let publisher: Publisher | undefined;
  const registration = (
    bundle: string,
    extraWorkloads: RegistrationOptions['extraWorkloads'],
  ): RegistrationOptions => ({
    name: config.webhookName,
    target: config.webhookUrl
      ? { url: config.webhookUrl }
      : { service: { namespace: config.namespace, name: config.serviceName, port: 443 } },
    caBundle: bundle,
    operatorNamespace: config.namespace,
    operatorUser,
    extraWorkloads,
  });
  // What was applied last: checked every few seconds, so a rule removed by hand is put back.
  let published: RegistrationOptions | undefined;
  // The webhook rules follow the GovernancePolicy's kinds: published again when they change.
  const publish = async (bundle: string): Promise<void> => {
    if (!config.registerWebhooks) {
      await publishCaBundle(rest, config.webhookName, bundle, logger);
      return;
    }
    const extra = await resolvePolicyWorkloads(rest, policyKinds(cache.snapshot()), logger);
    const options = registration(bundle, extra);
    await applyWebhookConfigurations(rest, options, logger);
    published = options;
  };
  const driftTimer = setInterval(() => {
    if (published === undefined) return;
    void registrationDrifted(rest, published).then((drift) => {
      if (!drift) return;
      logger.warn('a webhook configuration differs from what oos applied; applying it again');
      publisher?.nudge();
    });
  }, DRIFT_CHECK_MS);
  driftTimer.unref();
  let followedKinds = kindsKey(policyKinds(cache.snapshot()));
  const unsubscribe = cache.subscribe((snapshot) => {
    const key = kindsKey(policyKinds(snapshot));
    if (key === followedKinds) return;
    followedKinds = key;
    publisher?.nudge();
  });

  let tls: TlsSource;
  let stopTls: () => void;
  if (config.tlsCertFile && config.tlsKeyFile) {
    const files = new FileTlsSource(config.tlsCertFile, config.tlsKeyFile);
    tls = files;
    stopTls = () => {
      files.close();
    };
  } else {
    const managed = new SelfManagedTls({
      rest,
      logger,
      namespace: config.namespace,
      secretName: config.tlsSecret,
      servingValidityMs: config.servingCertValidity,
      ...servingNames(config),
      onCaBundle: (bundle) => {
        caBundle = bundle;
        publisher?.nudge();
        return Promise.resolve();
      },
    });
    await managed.start();
    tls = managed;
    stopTls = () => {
      managed.stop();
    };
  }

  const controller = new ControllerThread({
    config,
    operatorUser,
    logger,
    watchRestarts,
    threadRestarts,
  });
  const app = buildApp({
    governance,
    moreMetrics: () => controller.metrics(),
    registry,
    logger,
    tls,
    bodyLimit: config.bodyLimit,
    maxBodyDepth: config.maxBodyDepth,
    staleness: { maxMs: config.maxGovernanceStaleness, action: config.staleGovernance },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  logger.info({ address }, 'admission server listening');

  await waitForSync(governance, logger);
  logger.info('governance cache synced; ready');
  // Published only once the cache has synced, so the apiserver never calls a server that would
  // have to refuse for want of governance; kept published from then on.
  if (caBundle !== undefined) {
    publisher = keepPublished(() => publish(caBundle ?? ''), logger);
  }
  // The controller runs on a thread of its own, with its own informers (controller-thread/).
  controller.start();

  return async () => {
    logger.info('shutting down');
    publisher?.stop();
    clearInterval(driftTimer);
    unsubscribe();
    await controller.stop();
    stopTls();
    await closeGracefully(app);
    await cache.stop();
    await scaleTargets.stop();
  };
}

async function main(argv: readonly string[]): Promise<void> {
  let config: OperatorConfig | 'help';
  try {
    config = loadConfig(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`oos-operator: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (config === 'help') {
    process.stdout.write(HELP);
    return;
  }
  let stop: () => Promise<void>;
  try {
    stop = await run(config);
  } catch (error) {
    // What the cluster lacks or refuses at start-up: one line with its code, not a stack trace.
    // process.exit, since the informers started before the failure would keep the process alive.
    if (
      error instanceof IdentityUnknownError ||
      error instanceof StartupError ||
      error instanceof KubeApiError
    ) {
      process.stderr.write(`oos-operator: ${error.code}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

await main(process.argv.slice(2));
