import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminBinding,
  ADMIN_USER,
  installCrds,
  isoIn,
  removeWebhooks,
} from '../support/cluster.js';
import { kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';

// Adversary tests of the isolation of a Closed capability (docs/coordination.md): a workload on
// the node's network escapes every NetworkPolicy, so admission refuses it. Everyone acts as a
// member of a group bound to cluster-admin, so every refusal comes from oos, never from RBAC.
const GROUP = 'iso-adv-people';
const ERIN = { as: 'iso-adv-erin', groups: [GROUP] };
const MALLORY = { as: 'iso-adv-mallory', groups: [GROUP] };
const NS = 'iso-adv';
const OWNER = 'iso-adv-owner';

const setup = `
${adminBinding('iso-adv-people-admin', GROUP)}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${OWNER} }
spec:
  title: Triage owner
  responsibilities: [Risk]
  holders:
    - { name: Erin Example, email: erin@example.com, user: iso-adv-erin, attestedUntil: '${isoIn(365 * 86_400_000)}' }
`;

const capability = (name: string, posture: 'Open' | 'Closed'): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${NS} }
spec:
  description: Sorts incoming tickets.
  intendedUse: Suggestions a person confirms.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  delegationRequired: false
  interactions: { posture: ${posture} }
`;

const deployment = (name: string, cap: string, hostNetwork: boolean): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { oos.dev/capability: ${cap} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, oos.dev/capability: ${cap} } }
    spec:
      hostNetwork: ${hostNetwork}
      containers: [{ name: main, image: vllm/vllm-openai:v0.6.3 }]
`;

const pod = (name: string, cap: string): string => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${NS}, labels: { oos.dev/capability: ${cap} } }
spec:
  hostNetwork: true
  containers: [{ name: main, image: vllm/vllm-openai:v0.6.3 }]
`;

const refusedForHostNetwork = (result: KubectlResult): void => {
  expect(result.code, result.stdout).not.toBe(0);
  expect(result.stderr).toContain('BoundaryViolation:');
  expect(result.stderr).toContain('hostNetwork');
};

let operator: RunningOperator;

beforeAll(async () => {
  await installCrds();
  await kubectlOk(['apply', '-f', '-'], { stdin: setup });
  operator = await startOperator(['--operator-user', ADMIN_USER]);
  await kubectlOk(['apply', '-f', '-'], {
    stdin: `${capability('closed-triage', 'Closed')}---${capability('open-triage', 'Open')}`,
    ...ERIN,
  });
});

afterAll(async () => {
  await operator.stop();
  await removeWebhooks();
  await kubectl(['delete', 'namespace', NS, '--wait=false']);
  await kubectl(['delete', 'accountablerole', OWNER, '--ignore-not-found']);
  await kubectl(['delete', 'clusterrolebinding', 'iso-adv-people-admin', '--ignore-not-found']);
});

describe('a Closed capability cannot be escaped on the node network', () => {
  it('refuses a Deployment and a bare Pod with hostNetwork', async () => {
    refusedForHostNetwork(
      await kubectl(['apply', '-f', '-'], {
        stdin: deployment('escape', 'closed-triage', true),
        ...MALLORY,
      }),
    );
    refusedForHostNetwork(
      await kubectl(['apply', '-f', '-'], {
        stdin: pod('escape-pod', 'closed-triage'),
        ...MALLORY,
      }),
    );
  });

  it('refuses turning hostNetwork on in an UPDATE of an admitted Deployment', async () => {
    await kubectlOk(['apply', '-f', '-'], {
      stdin: deployment('triage', 'closed-triage', false),
      ...MALLORY,
    });
    refusedForHostNetwork(
      await kubectl(
        [
          'patch',
          'deployment',
          'triage',
          '-n',
          NS,
          '--type=merge',
          '-p',
          '{"spec":{"template":{"spec":{"hostNetwork":true}}}}',
        ],
        MALLORY,
      ),
    );
  });

  it('refuses it once the capability turns Closed, and leaves Open capabilities to the other rules', async () => {
    await kubectlOk(['apply', '-f', '-'], {
      stdin: deployment('open-host', 'open-triage', true),
      ...MALLORY,
    });
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('open-triage', 'Closed'), ...ERIN });
    refusedForHostNetwork(
      await kubectl(['apply', '-f', '-'], {
        stdin: deployment('open-host-2', 'open-triage', true),
        ...MALLORY,
      }),
    );
  });
});
