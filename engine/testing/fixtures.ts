/**
 * Builders of governance objects, workloads and admission inputs for the engine's tests (never
 * imported by production code). Governance objects go through the api/ schemas, so every fixture
 * is valid and carries the schema's defaults, exactly as the informer cache hands them over.
 */
import {
  accountableRoleSchema,
  API_VERSION,
  capabilitySchema,
  delegationSchema,
  escalationPolicySchema,
  escalationSchema,
  exemptionSchema,
  governancePolicySchema,
  LABEL_CAPABILITY,
  type AccountableRole,
  type Capability,
  type Delegation,
  type Escalation,
  type EscalationPolicy,
  type Exemption,
  type GovernancePolicy,
} from '../../api/index.js';
import { decide, stampPatch } from '../decide.js';
import type { Decision } from '../decision.js';
import type { AdmissionInput, Identity, Operation } from '../input.js';
import { applyPatch } from '../patch.js';
import { exemptionDigest } from '../exemption-digest.js';
import type { ChainState } from '../chain/step.js';
import type { Cause } from '../escalation/causes.js';
import { detect } from '../detection/index.js';
import type { DetectionConfig } from '../detection/config.js';
import { describeObject, kindOfObject, readWorkload, type WorkloadView } from '../workload/view.js';
import {
  buildSnapshot,
  type EngineConfig,
  type GovernanceObjects,
  type GovernanceSnapshot,
} from '../snapshot.js';

type Spec = Record<string, unknown>;

/** The instant every test decides at. */
export const NOW = new Date('2026-06-01T12:00:00Z');
export const NAMESPACE = 'ml';
export const ROLE = 'model-risk-officer';
export const CAPABILITY = 'chat-assistant';
export const SERVICE_ACCOUNT = 'chat-bot';
export const DELEGATION = 'chat-assistant-chat-bot';
export const OPERATOR_NAMESPACE = 'oos-system';

export const FUTURE = '2027-01-01T00:00:00Z';
export const PAST = '2026-01-01T00:00:00Z';

/** Identities: alice holds ROLE, bob holds it with a lapsed attestation, carol holds nothing. */
export const alice: Identity = { username: 'alice', groups: ['ml-team'] };
export const bob: Identity = { username: 'bob', groups: [] };
export const carol: Identity = { username: 'carol', groups: [] };
export const admin: Identity = { username: 'gina', groups: ['governance-board'] };
export const robot: Identity = {
  username: `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACE}`],
};
export const gitops: Identity = {
  username: 'system:serviceaccount:argocd:argocd-application-controller',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd'],
};
export const kubeSystem: Identity = { username: 'system:kube-controller-manager', groups: [] };

function meta(name: string, namespace?: string): Spec {
  return namespace === undefined ? { name } : { name, namespace };
}

export function holder(user: string, attestedUntil = FUTURE): Spec {
  return { name: `${user} Person`, email: `${user}@example.com`, user, attestedUntil };
}

export function role(
  name = ROLE,
  holders: readonly Spec[] = [holder('alice'), holder('bob', PAST)],
): AccountableRole {
  return accountableRoleSchema.parse({
    apiVersion: API_VERSION,
    kind: 'AccountableRole',
    metadata: meta(name),
    spec: { title: 'Model Risk Officer', responsibilities: ['Risk'], holders },
  });
}

export function capability(name = CAPABILITY, spec: Spec = {}, namespace = NAMESPACE): Capability {
  return capabilitySchema.parse({
    apiVersion: API_VERSION,
    kind: 'Capability',
    metadata: meta(name, namespace),
    spec: {
      description: 'Answers customer questions.',
      intendedUse: 'Drafts replies that an agent sends.',
      accountableRole: ROLE,
      autonomy: 'Supervised',
      riskTier: 'Limited',
      ...spec,
    },
  });
}

export function delegation(name = DELEGATION, spec: Spec = {}, namespace = NAMESPACE): Delegation {
  return delegationSchema.parse({
    apiVersion: API_VERSION,
    kind: 'Delegation',
    metadata: meta(name, namespace),
    spec: {
      capability: CAPABILITY,
      serviceAccount: SERVICE_ACCOUNT,
      validFrom: '2026-05-01T00:00:00Z',
      validUntil: '2026-07-01T00:00:00Z',
      justification: 'Production assistant.',
      grantedBy: 'alice',
      ...spec,
    },
  });
}

/**
 * An Exemption; approved (by alice, requested by carol) unless `spec` says otherwise, with the
 * approvedDigest of its content unless `spec` sets one (or sets it to undefined).
 */
export function exemption(name: string, spec: Spec = {}, namespace = NAMESPACE): Exemption {
  const parsed = exemptionWithoutDigest(name, spec, namespace);
  if (!parsed.spec.approved || Object.hasOwn(spec, 'approvedDigest')) return parsed;
  return { ...parsed, spec: { ...parsed.spec, approvedDigest: exemptionDigest(parsed.spec) } };
}

function exemptionWithoutDigest(name: string, spec: Spec, namespace: string): Exemption {
  return exemptionSchema.parse({
    apiVersion: API_VERSION,
    kind: 'Exemption',
    metadata: meta(name, namespace),
    spec: {
      scope: { kinds: [{ group: 'apps', kind: 'Deployment' }] },
      justification: 'Break-glass for an incident.',
      expiresAt: '2026-06-10T00:00:00Z',
      requestedBy: 'carol',
      approved: true,
      approvedBy: 'alice',
      ...spec,
    },
  });
}

export function escalationPolicy(
  name: string,
  spec: Spec = {},
  namespace = NAMESPACE,
): EscalationPolicy {
  return escalationPolicySchema.parse({
    apiVersion: API_VERSION,
    kind: 'EscalationPolicy',
    metadata: meta(name, namespace),
    spec: {
      triggers: [{ type: 'DelegationExpired', severity: 'Critical' }],
      levels: [
        { after: '0s', notifyAccountableRole: true },
        { after: '4h', roles: ['chief-risk-officer'] },
      ],
      ...spec,
    },
  });
}

export function escalation(
  name: string,
  spec: Spec = {},
  status?: Spec,
  namespace = NAMESPACE,
): Escalation {
  return escalationSchema.parse({
    apiVersion: API_VERSION,
    kind: 'Escalation',
    metadata: meta(name, namespace),
    spec: {
      trigger: 'DelegationExpired',
      severity: 'Critical',
      subject: { apiVersion: API_VERSION, kind: 'Delegation', namespace, name: DELEGATION },
      capability: CAPABILITY,
      summary: 'The delegation expired: renew it.',
      ...spec,
    },
    ...(status === undefined ? {} : { status }),
  });
}

/** The cause of an escalation of an expired Delegation, routed by the `ladder` policy. */
export const delegationExpiredCause: Cause = {
  key: 'k',
  name: 'e',
  namespace: NAMESPACE,
  trigger: 'DelegationExpired',
  severity: 'Critical',
  subject: { apiVersion: API_VERSION, kind: 'Delegation', namespace: NAMESPACE, name: DELEGATION },
  capability: CAPABILITY,
  accountableRole: ROLE,
  policy: 'ladder',
  summary: 'The delegation expired: renew it.',
};

export function policy(spec: Spec = {}): GovernancePolicy {
  return governancePolicySchema.parse({
    apiVersion: API_VERSION,
    kind: 'GovernancePolicy',
    metadata: meta('default'),
    spec: {
      governanceAdmins: { groups: ['governance-board'] },
      trustedAppliers: { users: [gitops.username] },
      ...spec,
    },
  });
}

/** A namespace `ml` with one capability anchored to a role alice holds, delegated to chat-bot. */
export function governance(overrides: Partial<GovernanceObjects> = {}): GovernanceObjects {
  return {
    roles: [role(), role('chief-risk-officer', [holder('dana')])],
    capabilities: [
      capability(),
      capability('forecasting', { riskTier: 'Minimal', delegationRequired: false }),
    ],
    delegations: [delegation()],
    exemptions: [],
    escalationPolicies: [],
    escalations: [],
    policies: [policy()],
    ...overrides,
  };
}

export function snapshot(
  overrides: Partial<GovernanceObjects> = {},
  config: EngineConfig = { operatorNamespace: OPERATOR_NAMESPACE },
): GovernanceSnapshot {
  return buildSnapshot(governance(overrides), config);
}

/** What a pod template or pod spec holds. */
export interface PodOptions {
  readonly image?: string;
  readonly serviceAccount?: string;
  readonly env?: readonly Spec[];
  readonly resources?: Spec;
  readonly initContainers?: readonly Spec[];
}

export function podSpec(options: PodOptions = {}): Spec {
  return {
    ...(options.serviceAccount === undefined ? {} : { serviceAccountName: options.serviceAccount }),
    ...(options.initContainers === undefined ? {} : { initContainers: options.initContainers }),
    containers: [
      {
        name: 'main',
        image: options.image ?? 'nginx:1.27',
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.resources === undefined ? {} : { resources: options.resources }),
      },
    ],
  };
}

export interface WorkloadOptions extends PodOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly templateLabels?: Record<string, string>;
  readonly replicas?: number;
}

/** The labels a workload anchored to CAPABILITY carries. */
export const anchoredLabels = { [LABEL_CAPABILITY]: CAPABILITY };

/** An AI workload that passes every step of the chain in `snapshot()`. */
export const anchoredOptions: WorkloadOptions = {
  labels: anchoredLabels,
  templateLabels: anchoredLabels,
  serviceAccount: SERVICE_ACCOUNT,
  image: 'vllm/vllm-openai:v0.6.3',
};

function objectMeta(options: WorkloadOptions, fallbackName: string): Spec {
  return {
    name: options.name ?? fallbackName,
    namespace: options.namespace ?? NAMESPACE,
    ...(options.labels === undefined ? {} : { labels: options.labels }),
  };
}

function template(options: WorkloadOptions): Spec {
  return {
    metadata: { labels: options.templateLabels ?? options.labels ?? {} },
    spec: podSpec(options),
  };
}

export function pod(options: WorkloadOptions = {}): Spec {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: objectMeta(options, 'pod'),
    spec: podSpec(options),
  };
}

export function deployment(options: WorkloadOptions = {}): Spec {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(options, 'app'),
    spec: { replicas: options.replicas ?? 1, template: template(options) },
  };
}

/** StatefulSet, ReplicaSet, DaemonSet or Job: a template at spec.template. */
export function controller(apiVersion: string, kind: string, options: WorkloadOptions = {}): Spec {
  return {
    apiVersion,
    kind,
    metadata: objectMeta(options, kind.toLowerCase()),
    spec: {
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      template: template(options),
    },
  };
}

export function cronJob(options: WorkloadOptions = {}): Spec {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: objectMeta(options, 'nightly'),
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: template(options) } } },
  };
}

export interface InputOptions {
  readonly operation?: Operation;
  readonly user?: Identity;
  readonly oldObject?: unknown;
  readonly namespaceLabels?: Record<string, string>;
  readonly subResource?: string;
}

/** The admission input for `object`, kind and namespace read from it (CREATE as alice by default). */
export function admission(object: Spec, options: InputOptions = {}): AdmissionInput {
  const kind = kindOfObject(object) ?? { group: '', version: 'v1', kind: 'Unknown' };
  const metadata = object.metadata as { namespace?: string; name?: string } | undefined;
  return {
    operation: options.operation ?? 'CREATE',
    kind,
    ...(metadata?.namespace === undefined ? {} : { namespace: metadata.namespace }),
    ...(metadata?.name === undefined ? {} : { name: metadata.name }),
    object,
    ...(options.oldObject === undefined ? {} : { oldObject: options.oldObject }),
    userInfo: options.user ?? alice,
    ...(options.namespaceLabels === undefined ? {} : { namespaceLabels: options.namespaceLabels }),
    ...(options.subResource === undefined ? {} : { subResource: options.subResource }),
  };
}

/** An UPDATE of a governance object from `old` to `next`. */
export function update(old: object, next: object, user: Identity): AdmissionInput {
  return admission(next as Spec, { operation: 'UPDATE', oldObject: old, user });
}

/** A copy of an oos object with its spec changed (and stamps removed when set to undefined). */
export function withSpec<T extends { readonly spec: object }>(object: T, spec: Spec): T {
  const merged: Spec = { ...object.spec, ...spec };
  for (const key of Object.keys(merged))
    if (merged[key] === undefined) Reflect.deleteProperty(merged, key);
  return { ...object, spec: merged };
}

/** The chain state of `object` at the first step, for the tests of single steps. */
export function chainState(
  object: Spec,
  snap: GovernanceSnapshot = snapshot(),
  now = NOW,
): ChainState {
  const view = viewOf(object);
  return {
    view,
    snapshot: snap,
    now: now.getTime(),
    signals: detect(view, snap.policy.detection, snap.devices).signals,
    subject: describeObject(view.kind, view.namespace, view.name),
    warnings: [],
  };
}

/** The workload view of `object` (kind read from the object). */
export function viewOf(object: Spec): WorkloadView {
  const kind = kindOfObject(object) ?? { group: '', version: 'v1', kind: 'Unknown' };
  return readWorkload(object, kind, undefined, undefined);
}

/** The detection lists of a policy with `detection` as its aiWorkloadDetection (built-ins by default). */
export function detectionConfig(detection: Spec = {}): DetectionConfig {
  return buildSnapshot({ policies: [policy({ aiWorkloadDetection: detection })] }).policy.detection;
}

/** What the apiserver does: the mutating webhook's patch, then the validating decision. */
export function throughAdmission(
  input: AdmissionInput,
  snap: GovernanceSnapshot = snapshot(),
  now = NOW,
): Decision & { readonly object: unknown } {
  const object = applyPatch(input.object, stampPatch(input, snap, now));
  return { ...decide({ ...input, object }, snap, now), object };
}

/** An oos object as a person writes it: without the stamps admission adds. */
export function unstamped<T extends { readonly spec: object }>(object: T): T {
  return withSpec(object, {
    grantedBy: undefined,
    requestedBy: undefined,
    approvedBy: undefined,
    acknowledgedBy: undefined,
    suspendedBy: undefined,
    resumedBy: undefined,
  });
}

/** The value of a spec field of an admitted object. */
export function specField(object: unknown, name: string): unknown {
  const spec = (object as { spec?: Record<string, unknown> } | undefined)?.spec;
  return spec?.[name];
}
