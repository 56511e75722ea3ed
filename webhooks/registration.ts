import {
  GROUP,
  judgedResources,
  NETWORK_POLICY,
  rulesByGroup,
  WORKLOAD_TYPES,
  type ResourceRule,
} from '../api/index.js';

/** Where the apiserver sends AdmissionReviews: a URL (local runs) or the in-cluster Service. */
export type ClientTarget =
  | { readonly url: string }
  | {
      readonly service: {
        readonly namespace: string;
        readonly name: string;
        readonly port: number;
      };
    };

export interface RegistrationOptions {
  /** Prefix of both configurations' names, e.g. `oos` -> `oos-validating`, `oos-mutating`. */
  readonly name: string;
  readonly target: ClientTarget;
  readonly caBundle: string;
  /** The operator's own namespace, excluded with the kube-* system namespaces. */
  readonly operatorNamespace: string;
  /** The identity the operator acts as; its own changes (the stop button) are not re-judged. */
  readonly operatorUser?: string;
  readonly timeoutSeconds?: number;
  /** Kinds the GovernancePolicy adds (`aiWorkloadDetection.kinds`), resolved to their resources. */
  readonly extraWorkloads?: readonly ExtraWorkloadResource[];
}

/** The namespaces admission never looks at, so a broken webhook cannot break the cluster. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-node-lease', 'kube-public'] as const;

/** A kind a GovernancePolicy adds, as discovery resolved it: its API group and resource. */
export interface ExtraWorkloadResource {
  readonly group: string;
  readonly plural: string;
}

/**
 * Workload kinds oos judges, from the workload-type table: Pods and the built-in controllers
 * (ReplicationControllers included) and the AI custom kinds (KServe, Ray, Kubeflow, kagent, agent-sandbox), and every other way
 * to change what a workload runs: the `scale` subresource (boundaries hold however the replica
 * count changes) and `pods/ephemeralcontainers` (an ephemeral container is judged like any
 * container); plus the kinds a GovernancePolicy adds.
 */
export function workloadRules(extra: readonly ExtraWorkloadResource[] = []): ResourceRule[] {
  return rulesByGroup(
    [...WORKLOAD_TYPES, ...extra.map((kind) => ({ ...kind, subresources: [] }))],
    judgedResources,
  );
}

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

function clientConfig(
  target: ClientTarget,
  path: string,
  caBundle: string,
): Record<string, unknown> {
  return 'url' in target
    ? { url: `${target.url.replace(/\/$/, '')}${path}`, caBundle: b64(caBundle) }
    : { service: { ...target.service, path }, caBundle: b64(caBundle) };
}

/** Settings every oos webhook shares; `excluded` are the namespaces it never looks at. */
function common(
  options: RegistrationOptions,
  excluded: readonly string[],
): Record<string, unknown> {
  return {
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    timeoutSeconds: options.timeoutSeconds ?? 3,
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set(excluded)] },
      ],
    },
  };
}

/** Workloads: the system namespaces and the operator's own are never judged. */
const workloadCommon = (options: RegistrationOptions): Record<string, unknown> =>
  common(options, [...SYSTEM_NAMESPACES, options.operatorNamespace]);

/**
 * The oos kinds and Namespaces: only the system namespaces are skipped. The operator's namespace
 * is judged too: an Exemption living there may cover other namespaces, so its requester and
 * approver must be stamped people like anywhere else.
 */
const governanceCommon = (options: RegistrationOptions): Record<string, unknown> =>
  common(options, SYSTEM_NAMESPACES);

/**
 * An UPDATE that changes neither the spec nor the labels cannot change a decision (controllers
 * update annotations and status all the time); written so that it never fails to evaluate.
 */
export const CHANGES_SPEC_OR_LABELS =
  "request.operation != 'UPDATE' || !has(object.spec) || !has(oldObject.spec) || " +
  'object.spec != oldObject.spec || ' +
  '(has(object.metadata.labels) ? (!has(oldObject.metadata.labels) || ' +
  'object.metadata.labels != oldObject.metadata.labels) : has(oldObject.metadata.labels))';

/**
 * An UPDATE of a workload that carries `oos.dev/` annotations before or after: the state the
 * operator keeps on workloads (the replicas remembered by the stop button) is the operator's
 * alone, so a change to it must reach the webhook even when spec and labels stay as they were.
 */
export const TOUCHES_OOS_ANNOTATIONS =
  "request.operation == 'UPDATE' && (" +
  "(has(object.metadata.annotations) && object.metadata.annotations.exists(k, k.startsWith('oos.dev/'))) || " +
  "(has(oldObject.metadata.annotations) && oldObject.metadata.annotations.exists(k, k.startsWith('oos.dev/'))))";

/** Which workload updates the webhook is sent. */
export const WORKLOAD_CANDIDATE = `(${CHANGES_SPEC_OR_LABELS}) || (${TOUCHES_OOS_ANNOTATIONS})`;

/**
 * CEL conditions the apiserver evaluates before it calls the workload webhook, so only
 * candidates are sent: never the operator's own changes (the stop button scaling workloads),
 * never an update that leaves the spec, the labels and the `oos.dev/` annotations as they were.
 */
function workloadMatchConditions(options: RegistrationOptions): Record<string, string>[] {
  return [
    { name: 'changes-spec-labels-or-oos-state', expression: WORKLOAD_CANDIDATE },
    ...notTheOperator(options),
  ];
}

/**
 * Every oos kind and its status: created, updated or deleted. Who may change governance, the
 * stamps, the status only the operator writes, and the records (Escalations) only it deletes.
 */
const GOVERNANCE_RULES = [
  {
    apiGroups: [GROUP],
    apiVersions: ['*'],
    resources: ['*', '*/status'],
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    scope: '*',
  },
];

/** The stamps are written on creates and updates of the oos kinds themselves. */
const STAMP_RULES = [
  {
    apiGroups: [GROUP],
    apiVersions: ['*'],
    resources: ['*'],
    operations: ['CREATE', 'UPDATE'],
    scope: '*',
  },
];

/** Namespaces: the labels a GovernancePolicy selects on choose enforcement, so they are governed. */
const NAMESPACE_RULES = [
  {
    apiGroups: [''],
    apiVersions: ['*'],
    resources: ['namespaces'],
    operations: ['CREATE', 'UPDATE'],
    scope: 'Cluster',
  },
];

/**
 * NetworkPolicies: they add up, so one of anyone's could open a Closed capability's Pods; and the
 * ones oos owns are the operator's alone, deletes included.
 */
const NETWORK_POLICY_RULES = [
  {
    apiGroups: [NETWORK_POLICY.group],
    apiVersions: ['*'],
    resources: [NETWORK_POLICY.plural],
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    scope: 'Namespaced',
  },
];

/** CEL: the requester is not the operator (whose name, quoted, cannot end the literal). */
const notOperatorUser = (user: string): string =>
  `request.userInfo.username != '${user.replace(/'/g, '')}'`;

/** The operator's own writes are not sent (its managed NetworkPolicies, the stop button). */
function notTheOperator(options: RegistrationOptions): Record<string, string>[] {
  return options.operatorUser
    ? [{ name: 'not-the-operator', expression: notOperatorUser(options.operatorUser) }]
    : [];
}

/**
 * The operator's own status writes are not sent: the webhook authorizes every one of them (the
 * status of the oos kinds is the operator's alone, engine/authority/status.ts), and its first
 * round writes one per object, 16,000 at the size of bench/large-governance.ts. Everything else
 * the operator does to the oos kinds (Escalations it opens, updates and deletes) is still judged,
 * and anyone else's status write is still sent and refused.
 */
function notTheOperatorsStatus(options: RegistrationOptions): Record<string, string>[] {
  return options.operatorUser
    ? [
        {
          name: 'not-the-operators-status',
          expression: `${notOperatorUser(options.operatorUser)} || !has(request.subResource) || request.subResource != 'status'`,
        },
      ]
    : [];
}

/** The configuration's kind and metadata (oos owns both configurations). */
function header(kind: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'oos' } },
  };
}

/**
 * The ValidatingWebhookConfiguration oos owns: workloads, changes to the oos kinds, the Namespace
 * labels that choose enforcement, and NetworkPolicies.
 */
export function validatingConfiguration(options: RegistrationOptions): Record<string, unknown> {
  return {
    ...header('ValidatingWebhookConfiguration', `${options.name}-validating`),
    webhooks: [
      {
        name: `workloads.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: workloadRules(options.extraWorkloads).map((r) => ({
          apiGroups: [...r.apiGroups],
          apiVersions: ['*'],
          resources: [...r.resources],
          operations: ['CREATE', 'UPDATE'],
          scope: 'Namespaced',
        })),
        matchConditions: workloadMatchConditions(options),
        ...workloadCommon(options),
      },
      {
        name: `governance.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: GOVERNANCE_RULES,
        ...(options.operatorUser ? { matchConditions: notTheOperatorsStatus(options) } : {}),
        ...governanceCommon(options),
      },
      {
        name: `namespaces.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: NAMESPACE_RULES,
        ...governanceCommon(options),
      },
      {
        name: `networkpolicies.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: NETWORK_POLICY_RULES,
        ...(options.operatorUser ? { matchConditions: notTheOperator(options) } : {}),
        ...governanceCommon(options),
      },
    ],
  };
}

/** The MutatingWebhookConfiguration oos owns: stamping identity fields on the oos kinds. */
export function mutatingConfiguration(options: RegistrationOptions): Record<string, unknown> {
  return {
    ...header('MutatingWebhookConfiguration', `${options.name}-mutating`),
    webhooks: [
      {
        name: `stamp.${GROUP}`,
        clientConfig: clientConfig(options.target, '/mutate', options.caBundle),
        rules: STAMP_RULES,
        reinvocationPolicy: 'Never',
        ...governanceCommon(options),
      },
    ],
  };
}
