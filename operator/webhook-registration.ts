import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import {
  mutatingConfiguration,
  validatingConfiguration,
  type RegistrationOptions,
} from '../webhooks/registration.js';
import { backoffDelay } from './cache/backoff.js';
import type { KubeRest } from './kube/rest.js';

const BASE = '/apis/admissionregistration.k8s.io/v1';
const FIELD_MANAGER = 'oos';

interface WebhookConfiguration {
  readonly webhooks?: readonly { readonly clientConfig?: { readonly caBundle?: string } }[];
}

/** Creates or updates both webhook configurations with server-side apply (oos owns them). */
export async function applyWebhookConfigurations(
  rest: KubeRest,
  options: RegistrationOptions,
  logger: Logger,
): Promise<void> {
  for (const [plural, build] of CONFIGURATIONS) {
    const object = build(options);
    const name = (object.metadata as { name: string }).name;
    await rest.request(
      'PATCH',
      `${BASE}/${plural}/${name}?fieldManager=${FIELD_MANAGER}&force=true`,
      {
        body: object,
        contentType: 'application/apply-patch+yaml',
      },
    );
    logger.info({ configuration: name }, 'webhook configuration applied');
  }
}

const CONFIGURATIONS = [
  ['validatingwebhookconfigurations', validatingConfiguration],
  ['mutatingwebhookconfigurations', mutatingConfiguration],
] as const;

/**
 * Whether a stored configuration differs from what oos applies: a webhook missing, or any field
 * oos sets (rules, match conditions, namespace selector, client config, failure policy, ...)
 * changed by hand. Fields the apiserver defaults and oos does not set are not compared.
 */
export function drifted(current: unknown, desired: Record<string, unknown>): boolean {
  const stored = new Map(
    ((current as { webhooks?: Record<string, unknown>[] } | undefined)?.webhooks ?? []).map(
      (webhook) => [webhook.name, webhook],
    ),
  );
  return (desired.webhooks as Record<string, unknown>[]).some((webhook) => {
    const found = stored.get(webhook.name);
    return (
      found === undefined ||
      Object.entries(webhook).some(([key, value]) => !isDeepStrictEqual(found[key], value))
    );
  });
}

/**
 * Whether either configuration oos owns has drifted from `options` (removed, or a rule taken out
 * by hand): one GET each, so it can be asked every few seconds.
 */
export async function registrationDrifted(
  rest: KubeRest,
  options: RegistrationOptions,
): Promise<boolean> {
  for (const [plural, build] of CONFIGURATIONS) {
    const desired = build(options);
    const name = (desired.metadata as { name: string }).name;
    let current: unknown;
    try {
      current = await rest.request<unknown>('GET', `${BASE}/${plural}/${name}`);
    } catch {
      return true;
    }
    if (drifted(current, desired)) return true;
  }
  return false;
}

/**
 * When the Helm chart owns the configurations, oos only publishes its CA bundle into every
 * webhook of the two configurations (a JSON patch per webhook).
 */
export async function publishCaBundle(
  rest: KubeRest,
  name: string,
  caBundle: string,
  logger: Logger,
): Promise<void> {
  const encoded = Buffer.from(caBundle).toString('base64');
  for (const [plural, suffix] of [
    ['validatingwebhookconfigurations', 'validating'],
    ['mutatingwebhookconfigurations', 'mutating'],
  ] as const) {
    const path = `${BASE}/${plural}/${name}-${suffix}`;
    const current = await rest.request<WebhookConfiguration>('GET', path);
    // `add` sets the field whether or not it exists; webhooks that already carry it are skipped.
    const patch = (current.webhooks ?? []).flatMap((webhook, i) =>
      webhook.clientConfig?.caBundle === encoded
        ? []
        : [{ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: encoded }],
    );
    if (patch.length === 0) continue;
    await rest.request('PATCH', path, { body: patch, contentType: 'application/json-patch+json' });
    logger.info({ configuration: `${name}-${suffix}` }, 'CA bundle published');
  }
}

export interface Publisher {
  /** Publish now (the CA bundle changed). */
  nudge(): void;
  stop(): void;
}

/**
 * Keeps the webhook configurations (or their CA bundle) published: at once, whenever nudged,
 * and every `everyMs` after that, because a Helm upgrade or a GitOps sync may replace them.
 * A failure (the chart's configurations not created yet, the apiserver away) is retried with
 * backoff instead of ending the process.
 */
export function keepPublished(
  publish: () => Promise<void>,
  logger: Logger,
  everyMs = 5 * 60 * 1000,
): Publisher {
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let running = false;
  let again = false;
  let stopped = false;
  const schedule = (ms: number): void => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, ms);
  };
  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    publish()
      .then(() => {
        failures = 0;
        schedule(everyMs);
      })
      .catch((error: unknown) => {
        const retryInMs = backoffDelay(failures++);
        logger.warn(
          { err: error instanceof Error ? error.message : 'unknown error', retryInMs },
          'publishing the webhook configurations failed; retrying',
        );
        schedule(retryInMs);
      })
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  }
  run();
  return {
    nudge: run,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
