import { GROUP } from '../api/index.js';

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
}

/** The namespaces admission never looks at, so a broken webhook cannot break the cluster. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-node-lease', 'kube-public'] as const;

/** Workload kinds oos judges: the built-in controllers and the AI kinds of DESIGN.md §1. */
export const WORKLOAD_RULES = [
  { apiGroups: [''], resources: ['pods'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'] },
  { apiGroups: ['ray.io'], resources: ['rayclusters', 'rayjobs', 'rayservices'] },
  { apiGroups: ['kubeflow.org'], resources: ['pytorchjobs', 'tfjobs', 'notebooks'] },
  { apiGroups: ['kagent.dev'], resources: ['agents'] },
  { apiGroups: ['agents.x-k8s.io'], resources: ['sandboxes'] },
] as const;

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

function common(options: RegistrationOptions): Record<string, unknown> {
  const excluded = [...SYSTEM_NAMESPACES, options.operatorNamespace];
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
 * CEL conditions the apiserver evaluates before it calls the workload webhook, so only
 * candidates are sent: never the operator's own changes (the stop button scaling workloads),
 * never an update that leaves the spec and the labels as they were.
 */
function workloadMatchConditions(options: RegistrationOptions): Record<string, string>[] {
  const conditions = [{ name: 'changes-spec-or-labels', expression: CHANGES_SPEC_OR_LABELS }];
  if (options.operatorUser) {
    conditions.push({
      name: 'not-the-operator',
      expression: `request.userInfo.username != '${options.operatorUser.replace(/'/g, '')}'`,
    });
  }
  return conditions;
}

/** Every oos kind, created or updated (who may, and the stamps on them). */
const GOVERNANCE_RULES = [
  {
    apiGroups: [GROUP],
    apiVersions: ['*'],
    resources: ['*'],
    operations: ['CREATE', 'UPDATE'],
    scope: '*',
  },
];

/** The configuration's kind and metadata (oos owns both configurations). */
function header(kind: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'oos' } },
  };
}

/** The ValidatingWebhookConfiguration oos owns: workloads, and changes to the oos kinds. */
export function validatingConfiguration(options: RegistrationOptions): Record<string, unknown> {
  return {
    ...header('ValidatingWebhookConfiguration', `${options.name}-validating`),
    webhooks: [
      {
        name: `workloads.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: WORKLOAD_RULES.map((r) => ({
          apiGroups: [...r.apiGroups],
          apiVersions: ['*'],
          resources: [...r.resources],
          operations: ['CREATE', 'UPDATE'],
          scope: 'Namespaced',
        })),
        matchConditions: workloadMatchConditions(options),
        ...common(options),
      },
      {
        name: `governance.${GROUP}`,
        clientConfig: clientConfig(options.target, '/validate', options.caBundle),
        rules: GOVERNANCE_RULES,
        ...common(options),
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
        rules: GOVERNANCE_RULES,
        reinvocationPolicy: 'Never',
        ...common(options),
      },
    ],
  };
}
