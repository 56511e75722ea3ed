import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isDuration, parseDuration } from '../api/index.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_BODY_DEPTH } from '../webhooks/limits.js';
import {
  flagOf,
  optionsHelp,
  parseArgsOptions,
  rawValues,
  shapeOf,
  type FlagTable,
} from './flag-table.js';
import type { ErrorCode } from '../api/error-codes.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every option of the operator, once: `--help`, the parser, the validation and the defaults are
 * all derived from this table, in this order.
 */
const FLAGS = {
  kubeconfig: {
    name: 'kubeconfig',
    type: 'string',
    arg: '<file>',
    schema: z.string().optional(),
    env: 'KUBECONFIG',
    help: 'kubeconfig to use',
    defaultHelp: '$KUBECONFIG, ~/.kube/config, in-cluster',
  },
  namespace: {
    name: 'namespace',
    type: 'string',
    arg: '<ns>',
    schema: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label'),
    env: 'POD_NAMESPACE',
    default: 'oos-system',
    help: "the operator's own namespace: exempt from admission, holds the certificate Secret",
  },
  host: {
    name: 'host',
    type: 'string',
    arg: '<address>',
    schema: z.string().min(1),
    default: '0.0.0.0',
    help: 'address to listen on',
  },
  port: {
    name: 'port',
    type: 'string',
    arg: '<n>',
    schema: port,
    default: '8443',
    help: 'HTTPS port of the admission server, /healthz, /readyz, /metrics; 0 picks a free port',
  },
  tlsCertFile: {
    name: 'tls-cert-file',
    type: 'string',
    arg: '<file>',
    schema: z.string().optional(),
    help:
      'serving certificate (PEM), e.g. from cert-manager; re-read when it changes. Without it ' +
      'and --tls-key-file oos issues its own CA and certificate and keeps them in the Secret ' +
      'named by --tls-secret',
  },
  tlsKeyFile: {
    name: 'tls-key-file',
    type: 'string',
    arg: '<file>',
    schema: z.string().optional(),
    help: 'the private key (PEM) of --tls-cert-file; re-read when it changes',
  },
  tlsSecret: {
    name: 'tls-secret',
    type: 'string',
    arg: '<name>',
    schema: z.string().min(1),
    default: 'oos-webhook-tls',
    help: 'Secret for the self-managed certificate',
  },
  servingCertValidity: {
    name: 'serving-cert-validity',
    type: 'string',
    arg: '<dur>',
    schema: z
      .string()
      .refine(isDuration, 'must be a duration such as 365d or 90s')
      .transform(parseDuration)
      .pipe(z.number().min(60_000, 'must be at least 1m')),
    default: '365d',
    help:
      'lifetime of the self-managed serving certificate; every replica renews it (or takes ' +
      "another replica's renewal from the Secret) once two thirds of it have passed",
  },
  serviceName: {
    name: 'service-name',
    type: 'string',
    arg: '<name>',
    schema: z.string().min(1),
    default: 'oos-webhook',
    help: 'Service in front of the webhook; the certificate is issued for <name>.<namespace>.svc',
  },
  webhookUrl: {
    name: 'webhook-url',
    type: 'string',
    arg: '<url>',
    schema: z.url({ protocol: /^https$/ }).optional(),
    help:
      'register the webhooks at this URL instead of the Service, e.g. https://127.0.0.1:8443 ' +
      'for a local run (the certificate then covers its host)',
  },
  caBundleFile: {
    name: 'ca-bundle-file',
    type: 'string',
    arg: '<file>',
    schema: z.string().optional(),
    help: 'CA bundle (PEM) to publish with --tls-cert-file',
    defaultHelp: "none, for when cert-manager's CA injector publishes it",
  },
  registerWebhooks: {
    name: 'register-webhooks',
    type: 'boolean',
    schema: z.boolean(),
    default: true,
    help:
      'do not create or update the webhook configurations (the Helm chart owns them; oos then ' +
      'only publishes the CA bundle)',
  },
  webhookName: {
    name: 'webhook-name',
    type: 'string',
    arg: '<name>',
    schema: z.string().min(1),
    default: 'oos',
    help: "prefix of the webhook configurations' names",
  },
  operatorUser: {
    name: 'operator-user',
    type: 'string',
    arg: '<user>',
    schema: z.string().min(1).optional(),
    help:
      "the identity the operator's own requests use: the only one that writes the status of " +
      'the oos kinds and the state oos keeps on workloads, never re-judged as a workload change',
    defaultHelp: 'asked of the apiserver at start with a SelfSubjectReview',
  },
  bodyLimit: {
    name: 'body-limit',
    type: 'string',
    arg: '<bytes>',
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024),
    default: String(DEFAULT_BODY_LIMIT),
    help:
      "largest AdmissionReview accepted: an UPDATE carries two objects of at most the apiserver's " +
      '3 MiB, plus the envelope',
  },
  maxBodyDepth: {
    name: 'max-body-depth',
    type: 'string',
    arg: '<n>',
    schema: z.coerce.number().int().min(16).max(1000),
    default: String(DEFAULT_MAX_BODY_DEPTH),
    help:
      'deepest nesting of objects and arrays accepted in an AdmissionReview, from 16 to 1000; ' +
      'real objects need about 20',
  },
  maxGovernanceStaleness: {
    name: 'max-governance-staleness',
    type: 'string',
    arg: '<dur>',
    schema: z
      .string()
      .refine(isDuration, 'must be a duration such as 30s or 2m')
      .transform(parseDuration)
      .pipe(z.number().min(1000, 'must be at least 1s')),
    default: '30s',
    help:
      'a governance watch interrupted for longer than this makes governance stale: every ' +
      'admission decision then says so (a warning, an audit annotation, ' +
      'oos_admission_stale_decisions_total), see --stale-governance',
  },
  staleGovernance: {
    name: 'stale-governance',
    type: 'string',
    arg: '<action>',
    schema: z.enum(['warn', 'deny']),
    default: 'warn',
    help:
      'warn or deny. On stale governance, warn: decide and say so; deny: also refuse AI workloads that ' +
      'governance would allow (a revocation made meanwhile may be missing)',
  },
  leaderElect: {
    name: 'leader-elect',
    type: 'boolean',
    schema: z.boolean(),
    default: true,
    help:
      'run the controller without a Lease (only for a single replica); by default every ' +
      'replica serves admission and the one holding the Lease runs the controller',
  },
  leaseName: {
    name: 'lease-name',
    type: 'string',
    arg: '<name>',
    schema: z.string().regex(DNS_SUBDOMAIN, 'must be a DNS-1123 subdomain'),
    default: 'oos-controller',
    help: 'the coordination.k8s.io Lease in --namespace',
  },
  leaseDuration: {
    name: 'lease-duration',
    type: 'string',
    arg: '<dur>',
    schema: z
      .string()
      .refine(isDuration, 'must be a duration such as 10s or 15s')
      .transform(parseDuration)
      .pipe(z.number().min(3000, 'must be at least 3s')),
    default: '10s',
    help:
      'how long the Lease holds without a renewal: a leader that dies without releasing it is ' +
      'replaced within about this long; it steps down after two thirds of it without renewing',
  },
  auditInterval: {
    name: 'audit-interval',
    type: 'string',
    arg: '<dur>',
    schema: z
      .string()
      .refine(isDuration, 'must be a duration such as 60s or 5m')
      .transform(parseDuration)
      .pipe(z.number().min(1000, 'must be at least 1s')),
    default: '60s',
    help:
      'how often the background audit re-checks running AI workloads besides on every ' +
      'change, e.g. 60s or 5m',
  },
  alertmanagerUrl: {
    name: 'alertmanager-url',
    type: 'string',
    arg: '<url>',
    schema: z.url({ protocol: /^https?$/ }).optional(),
    help:
      'send escalations to this Alertmanager (POST <url>/api/v2/alerts), e.g. ' +
      'http://alertmanager.monitoring:9093',
  },
  escalationWebhookUrl: {
    name: 'escalation-webhook-url',
    type: 'string',
    arg: '<url>',
    schema: z.url({ protocol: /^https?$/ }).optional(),
    help: 'POST every escalation step as JSON to this URL',
  },
  reports: {
    name: 'reports',
    type: 'boolean',
    schema: z.boolean(),
    default: false,
    help:
      "write the background audit's results as OpenReports (openreports.io/v1alpha1): a " +
      'Report per namespace with AI workloads and a ClusterReport of the AccountableRoles; the ' +
      'CRDs must be installed',
  },
  controllerHeap: {
    name: 'controller-heap',
    type: 'string',
    arg: '<mib>',
    schema: z.coerce.number().int().min(0),
    default: '0',
    help:
      "the controller thread's heap limit in MiB (0: V8's default); a controller that outgrows " +
      'it is restarted while admission goes on serving',
  },
  controllerNice: {
    name: 'controller-nice',
    type: 'string',
    arg: '<steps>',
    schema: z.coerce.number().int().min(0).max(19),
    default: '10',
    help:
      "how much lower the controller thread's CPU priority is than admission's (added to the " +
      "process's nice value, at most 19; 0: the same): on a busy node a round yields the CPU " +
      'to the webhook',
  },
  logLevel: {
    name: 'log-level',
    type: 'string',
    arg: '<level>',
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
    default: 'info',
    help: 'trace, debug, info, warn, error',
  },
} as const satisfies FlagTable;

export const HELP = `Usage: oos-operator [options]      (from the repository: npm start -- [options])

Runs the oos operator: the admission server (validating and mutating webhooks over HTTPS) and
its governance informer cache, against the current kubeconfig or the in-cluster config.

Options:
${optionsHelp(FLAGS)}
`;

const configSchema = z
  .object(shapeOf(FLAGS))
  .refine((c) => (c.tlsCertFile === undefined) === (c.tlsKeyFile === undefined), {
    message: '--tls-cert-file and --tls-key-file go together',
  });

export type OperatorConfig = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'OOS_ERR_CONFIG' satisfies ErrorCode;
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
      options: parseArgsOptions(FLAGS),
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}; see --help`);
  }
  if (values.help === true) return 'help';
  const parsed = configSchema.safeParse(rawValues(FLAGS, values, env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0] === undefined ? undefined : flagOf(FLAGS, String(issue.path[0]));
    const where = flag === undefined ? '' : `${flag}: `;
    throw new ConfigError(`${where}${issue?.message ?? 'invalid configuration'}; see --help`);
  }
  return Object.freeze(parsed.data);
}
