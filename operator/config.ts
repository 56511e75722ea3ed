import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isDuration, parseDuration } from '../api/index.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_BODY_DEPTH } from '../webhooks/limits.js';

export const HELP = `Usage: oos-operator [options]      (from the repository: npm start -- [options])

Runs the oos operator: the admission server (validating and mutating webhooks over HTTPS) and
its governance informer cache, against the current kubeconfig or the in-cluster config.

Options:
  --kubeconfig <file>        kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --namespace <ns>           the operator's own namespace: exempt from admission, holds the
                             certificate Secret (default: $POD_NAMESPACE or oos-system)
  --host <address>           address to listen on (default: 0.0.0.0)
  --port <n>                 HTTPS port of the admission server, /healthz, /readyz, /metrics
                             (default: 8443; 0 picks a free port)
  --tls-cert-file <file>     serving certificate (PEM), e.g. from cert-manager; re-read when it
  --tls-key-file <file>      changes. Without them oos issues its own CA and certificate and
                             keeps them in the Secret named by --tls-secret
  --tls-secret <name>        Secret for the self-managed certificate (default: oos-webhook-tls)
  --service-name <name>      Service in front of the webhook; the certificate is issued for
                             <name>.<namespace>.svc (default: oos-webhook)
  --webhook-url <url>        register the webhooks at this URL instead of the Service, e.g.
                             https://127.0.0.1:8443 for a local run (the certificate then covers
                             its host)
  --ca-bundle-file <file>    CA bundle (PEM) to publish with --tls-cert-file (default: none, for
                             when cert-manager's CA injector publishes it)
  --no-register-webhooks     do not create or update the webhook configurations (the Helm
                             chart owns them; oos then only publishes the CA bundle)
  --webhook-name <name>      prefix of the webhook configurations' names (default: oos)
  --operator-user <user>     the identity the operator's own requests use: the only one that
                             writes the status of the oos kinds and the state oos keeps on
                             workloads, never re-judged as a workload change (default: asked of
                             the apiserver at start with a SelfSubjectReview)
  --body-limit <bytes>       largest AdmissionReview accepted: an UPDATE carries two objects of
                             at most the apiserver's 3 MiB, plus the envelope
                             (default: ${DEFAULT_BODY_LIMIT})
  --max-body-depth <n>       deepest nesting of objects and arrays accepted in an AdmissionReview
                             (default: ${DEFAULT_MAX_BODY_DEPTH}; real objects need about 20)
  --no-leader-elect          run the controller without a Lease (only for a single replica);
                             by default every replica serves admission and the one holding the
                             Lease runs the controller
  --lease-name <name>        the coordination.k8s.io Lease in --namespace (default:
                             oos-controller)
  --audit-interval <dur>     how often the background audit re-checks running AI workloads
                             besides on every change, e.g. 60s or 5m (default: 60s)
  --alertmanager-url <url>   send escalations to this Alertmanager (POST <url>/api/v2/alerts),
                             e.g. http://alertmanager.monitoring:9093
  --escalation-webhook-url <url>
                             POST every escalation step as JSON to this URL
  --reports                  write the background audit's results as OpenReports
                             (openreports.io/v1alpha1): a Report per namespace with AI
                             workloads and a ClusterReport of the AccountableRoles; the CRDs
                             must be installed (default: off)
  --log-level <level>        trace, debug, info, warn, error (default: info)
  -h, --help                 show this help
`;

const configSchema = z
  .object({
    kubeconfig: z.string().optional(),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    tlsCertFile: z.string().optional(),
    tlsKeyFile: z.string().optional(),
    tlsSecret: z.string().min(1),
    serviceName: z.string().min(1),
    webhookUrl: z.url({ protocol: /^https$/ }).optional(),
    caBundleFile: z.string().optional(),
    registerWebhooks: z.boolean(),
    webhookName: z.string().min(1),
    operatorUser: z.string().min(1).optional(),
    bodyLimit: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024),
    maxBodyDepth: z.coerce.number().int().min(16).max(1000),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
    leaderElect: z.boolean(),
    leaseName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 subdomain'),
    auditInterval: z
      .string()
      .refine(isDuration, 'must be a duration such as 60s or 5m')
      .transform(parseDuration)
      .pipe(z.number().min(1000, 'must be at least 1s')),
    alertmanagerUrl: z.url({ protocol: /^https?$/ }).optional(),
    escalationWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    reports: z.boolean(),
  })
  .refine((c) => (c.tlsCertFile === undefined) === (c.tlsKeyFile === undefined), {
    message: '--tls-cert-file and --tls-key-file go together',
  });

export type OperatorConfig = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'OOS_ERR_CONFIG';
}

/**
 * Parses the command line (and the few environment variables that have flags) once; the result
 * is frozen. This is the only reader of `process.env` in oos.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): OperatorConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowNegative: true,
      options: {
        kubeconfig: { type: 'string' },
        namespace: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'tls-cert-file': { type: 'string' },
        'tls-key-file': { type: 'string' },
        'tls-secret': { type: 'string' },
        'service-name': { type: 'string' },
        'webhook-url': { type: 'string' },
        'ca-bundle-file': { type: 'string' },
        'register-webhooks': { type: 'boolean' },
        'webhook-name': { type: 'string' },
        'operator-user': { type: 'string' },
        'body-limit': { type: 'string' },
        'max-body-depth': { type: 'string' },
        'log-level': { type: 'string' },
        'leader-elect': { type: 'boolean' },
        'lease-name': { type: 'string' },
        'audit-interval': { type: 'string' },
        'alertmanager-url': { type: 'string' },
        'escalation-webhook-url': { type: 'string' },
        reports: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}; see --help`);
  }
  if (values.help) return 'help';
  const namespace = values.namespace ?? env.POD_NAMESPACE ?? 'oos-system';
  const parsed = configSchema.safeParse({
    kubeconfig: values.kubeconfig ?? env.KUBECONFIG,
    namespace,
    host: values.host ?? '0.0.0.0',
    port: values.port ?? '8443',
    tlsCertFile: values['tls-cert-file'],
    tlsKeyFile: values['tls-key-file'],
    tlsSecret: values['tls-secret'] ?? 'oos-webhook-tls',
    serviceName: values['service-name'] ?? 'oos-webhook',
    webhookUrl: values['webhook-url'],
    caBundleFile: values['ca-bundle-file'],
    registerWebhooks: values['register-webhooks'] ?? true,
    webhookName: values['webhook-name'] ?? 'oos',
    operatorUser: values['operator-user'],
    bodyLimit: values['body-limit'] ?? String(DEFAULT_BODY_LIMIT),
    maxBodyDepth: values['max-body-depth'] ?? String(DEFAULT_MAX_BODY_DEPTH),
    logLevel: values['log-level'] ?? 'info',
    leaderElect: values['leader-elect'] ?? true,
    leaseName: values['lease-name'] ?? 'oos-controller',
    auditInterval: values['audit-interval'] ?? '60s',
    alertmanagerUrl: values['alertmanager-url'],
    escalationWebhookUrl: values['escalation-webhook-url'],
    reports: values.reports ?? false,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag =
      issue?.path[0] === undefined
        ? ''
        : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
    throw new ConfigError(`${flag}${issue?.message ?? 'invalid configuration'}; see --help`);
  }
  return Object.freeze(parsed.data);
}
