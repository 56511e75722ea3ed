import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  installCrds,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
  waitForEvent,
} from './support.js';

/**
 * The workload-type table at run time: AI custom kinds whose CRDs a test installs are audited and
 * stopped, and a kind a GovernancePolicy adds gets a webhook rule that follows the policy.
 */
const NS = 'ctl-kinds';
const OWNER = 'ctl-kinds-owner';
const ERIN = as('ctl-kinds-erin');
const ANNOTATION = 'oos.dev/replicas-before-suspend';
const MARKER = 'oos.dev/suspended-by-oos';

/** A minimal CRD: any spec, a status subresource, and optionally `scale` at `.spec.replicas`. */
const crd = (group: string, kind: string, plural: string, version: string, scale: boolean) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${plural}.${group} }
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  versions:
    - name: ${version}
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
            status: { type: object, x-kubernetes-preserve-unknown-fields: true }
      subresources:
        status: {}${
          scale
            ? `
        scale: { specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas }`
            : ''
        }
`;

const CRDS = [
  crd('serving.kserve.io', 'InferenceService', 'inferenceservices', 'v1beta1', true),
  crd('kubeflow.org', 'PyTorchJob', 'pytorchjobs', 'v1', false),
  crd('example.com', 'LlmAgent', 'llmagents', 'v1', false),
];
const CRD_NAMES = [
  'inferenceservices.serving.kserve.io',
  'pytorchjobs.kubeflow.org',
  'llmagents.example.com',
];

const setup = `
${peopleRbac('ctl-kinds-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
${role(OWNER, ['ctl-kinds-erin'])}
`;

const governance = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: llm, namespace: ${NS} }
spec:
  description: Serves and fine-tunes the support model.
  intendedUse: Answers drafted for agents, who review them.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  stopAction: ScaleToZero
  delegationRequired: false
`;

/** Created before the operator runs (no admission): one anchored pair, one unanchored service. */
const workloads = `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: support-llm, namespace: ${NS}, labels: { oos.dev/capability: llm } }
spec:
  replicas: 2
  predictor: { containers: [{ name: kserve-container, image: vllm/vllm-openai:v0.6.3 }] }
---
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: { name: finetune, namespace: ${NS}, labels: { oos.dev/capability: llm } }
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec: { containers: [{ name: pytorch, image: pytorch/pytorch:2.4.0 }] }
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: shadow-llm, namespace: ${NS} }
spec:
  predictor: { containers: [{ name: kserve-container, image: busybox:1.36 }] }
`;

const policy = (kinds: string) => `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Enforce
  aiWorkloadDetection:
    kinds: ${kinds}
`;

const agent = (name: string, labels: string) => `
apiVersion: example.com/v1
kind: LlmAgent
metadata: { name: ${name}, namespace: ${NS}, labels: { ${labels} } }
spec: { model: support }
`;

interface Rule {
  apiGroups: string[];
  resources: string[];
}
const workloadRules = async (): Promise<Rule[]> => {
  const config = await getJson<{ webhooks: { name: string; rules: Rule[] }[] }>([
    'validatingwebhookconfiguration',
    'oos-validating',
  ]);
  return config.webhooks.find((w) => w.name === 'workloads.oos.dev')?.rules ?? [];
};
const hasRule = async (group: string, resource: string): Promise<boolean> =>
  (await workloadRules()).some(
    (rule) => rule.apiGroups.includes(group) && rule.resources.includes(resource),
  );

interface Custom {
  metadata: { annotations?: Record<string, string> };
  spec: { replicas?: number; runPolicy?: { suspend?: boolean } };
}
const get = (kind: string, name: string): Promise<Custom> =>
  getJson<Custom>([kind, name, '-n', NS]);
const suspend = (value: boolean, who = ERIN) =>
  kubectlOk(
    [
      'patch',
      'capability',
      'llm',
      '-n',
      NS,
      '--type',
      'merge',
      '-p',
      `{"spec":{"suspend":${value}}}`,
    ],
    who,
  );

let operator: RunningOperator;
const driftRepairs = (): number =>
  operator
    .logs()
    .split('\n')
    .filter((line) => line.includes('differs from what oos applied')).length;

describe('workload kinds beyond the built-ins', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: CRDS.join('\n---\n') });
    for (const name of CRD_NAMES) {
      await kubectlOk(['wait', '--for=condition=Established', `crd/${name}`, '--timeout=60s']);
    }
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: workloads });
    operator = await startController(['--audit-interval', '5s']);
    await kubectlOk(['apply', '-f', '-'], { stdin: governance, ...ERIN });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'accountablerole', OWNER, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-kinds-people', '--ignore-not-found']);
    await kubectl(['delete', 'crd', ...CRD_NAMES, '--ignore-not-found', '--wait=false']);
  });

  it('watches the AI custom kinds that are installed, and reports the others as absent', async () => {
    await waitFor('the kinds to be resolved', async () =>
      (await metric(operator, 'oos_workload_kinds', {
        kind: 'serving.kserve.io/InferenceService',
        state: 'served',
      })) === 1 &&
      (await metric(operator, 'oos_workload_kinds', { kind: 'ray.io/RayJob', state: 'absent' })) ===
        1
        ? true
        : undefined,
    );
  });

  it('audits an unanchored InferenceService like any AI workload', async () => {
    await waitFor('the audit to find the unanchored InferenceService', async () =>
      (await metric(operator, 'oos_ai_workloads', {
        namespace: NS,
        capability: '',
        anchored: 'false',
      })) === 1 &&
      (await metric(operator, 'oos_ai_workloads', {
        namespace: NS,
        capability: 'llm',
        anchored: 'true',
      })) === 2
        ? true
        : undefined,
    );
  });

  it('stops an InferenceService through its scale subresource and suspends a PyTorchJob', async () => {
    await suspend(true);
    const scaled = await waitFor('the InferenceService at zero replicas', async () => {
      const isvc = await get('inferenceservice', 'support-llm');
      return isvc.spec.replicas === 0 ? isvc : undefined;
    });
    expect(scaled.metadata.annotations?.[ANNOTATION]).toBe('2');
    const job = await waitFor('the PyTorchJob to be suspended', async () => {
      const j = await get('pytorchjob', 'finetune');
      return j.spec.runPolicy?.suspend === true ? j : undefined;
    });
    expect(job.metadata.annotations?.[MARKER]).toBe('true');
    await waitForEvent(NS, 'ScaledToZero', 'InferenceService', 'support-llm');
    await waitForEvent(NS, 'Suspended', 'PyTorchJob', 'finetune');
  });

  it('refuses to scale the stopped InferenceService back up by hand while suspended', async () => {
    const refused = await kubectl(
      [
        'patch',
        'inferenceservice',
        'support-llm',
        '-n',
        NS,
        '--type',
        'merge',
        '-p',
        '{"spec":{"replicas":3}}',
      ],
      ERIN,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CapabilitySuspended');
  });

  it('restores both when the accountable holder resumes', async () => {
    await suspend(false);
    await waitFor('the InferenceService back at 2 replicas, memory dropped', async () => {
      const isvc = await get('inferenceservice', 'support-llm');
      return isvc.spec.replicas === 2 && isvc.metadata.annotations?.[ANNOTATION] === undefined
        ? true
        : undefined;
    });
    await waitFor('the PyTorchJob to run again', async () => {
      const j = await get('pytorchjob', 'finetune');
      return j.spec.runPolicy?.suspend === false && j.metadata.annotations?.[MARKER] === undefined
        ? true
        : undefined;
    });
  });

  it('judges a kind the GovernancePolicy adds: a webhook rule appears and an unanchored one is refused', async () => {
    expect(await hasRule('example.com', 'llmagents')).toBe(false);
    await kubectlOk(['apply', '-f', '-'], {
      stdin: policy('[{ group: example.com, kind: LlmAgent }]'),
    });
    await waitFor('the webhook rule for llmagents', async () =>
      (await hasRule('example.com', 'llmagents')) ? true : undefined,
    );
    const refused = await kubectl(['apply', '-f', '-'], {
      stdin: agent('rogue', 'app: rogue'),
      ...ERIN,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AnchorMissing');
    await kubectlOk(['apply', '-f', '-'], {
      stdin: agent('helper', 'oos.dev/capability: llm'),
      ...ERIN,
    });
  });

  it('audits the kind the policy adds', async () => {
    await waitFor('the audit to count the LlmAgent', async () =>
      (await metric(operator, 'oos_ai_workloads', {
        namespace: NS,
        capability: 'llm',
        anchored: 'true',
      })) === 3
        ? true
        : undefined,
    );
    expect(
      await metric(operator, 'oos_workload_kinds', {
        kind: 'example.com/LlmAgent',
        state: 'served',
      }),
    ).toBe(1);
  });

  it('puts back a rule removed from the webhook configuration by hand', async () => {
    // Running for more than a drift check's period, it never found drift where there was none.
    expect(driftRepairs()).toBe(0);
    const rules = await workloadRules();
    const index = rules.findIndex((rule) => rule.apiGroups.includes('example.com'));
    expect(index).toBeGreaterThanOrEqual(0);
    const config = await getJson<{ webhooks: { name: string }[] }>([
      'validatingwebhookconfiguration',
      'oos-validating',
    ]);
    const webhook = config.webhooks.findIndex((w) => w.name === 'workloads.oos.dev');
    await kubectlOk([
      'patch',
      'validatingwebhookconfiguration',
      'oos-validating',
      '--type',
      'json',
      '-p',
      JSON.stringify([{ op: 'remove', path: `/webhooks/${webhook}/rules/${index}` }]),
    ]);
    expect(await hasRule('example.com', 'llmagents')).toBe(false);
    await waitFor('the operator to restore the rule', async () =>
      (await hasRule('example.com', 'llmagents')) ? true : undefined,
    );
    expect(driftRepairs()).toBeGreaterThan(0);
    const refused = await kubectl(['apply', '-f', '-'], {
      stdin: agent('rogue', 'app: rogue'),
      ...ERIN,
    });
    expect(refused.stderr).toContain('AnchorMissing');
  });

  it('drops the rule when the policy drops the kind', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('[]') });
    await waitFor('the webhook rule for llmagents to go', async () =>
      (await hasRule('example.com', 'llmagents')) ? undefined : true,
    );
    expect(await hasRule('serving.kserve.io', 'inferenceservices')).toBe(true);
    await kubectlOk(['apply', '-f', '-'], { stdin: agent('rogue', 'app: rogue'), ...ERIN });
  });
});
