import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminBinding, installCrds, isoIn, removeWebhooks } from '../support/cluster.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import { OPERATOR_NAMESPACE, startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

// People act through impersonation; RBAC lets everyone in e2e-people (and the bot) do anything,
// so every refusal below comes from oos, not from RBAC.
const ALICE = { as: 'wh-alice', groups: ['e2e-people'] };
const MALLORY = { as: 'wh-mallory', groups: ['e2e-people'] };
const BOT = { as: 'system:serviceaccount:wh-ml:bot' };
// The operator runs as the admin kubeconfig's user (it asks the apiserver who it is), and its own
// requests are never judged as workload changes: people's workloads are applied by a deployer.
const DEPLOYER = { as: 'wh-deployer', groups: ['e2e-people'] };

const NS = 'wh-ml';
const SANDBOX = 'wh-sandbox';
const inDays = (days: number): string => isoIn(days * 86_400_000);

const setup = `
${adminBinding('wh-e2e-people-admin', 'e2e-people', [`${NS}:bot`])}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS}, labels: { environment: wh-production } }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${SANDBOX}, labels: { environment: wh-sandbox } }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: llm, namespace: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: wh-ml-owner }
spec:
  title: ML Platform Owner
  description: Answers for the language models served by the ML platform.
  responsibilities: [Risk, Ethical]
  holders:
    - { name: Alice Example, email: alice@example.com, user: wh-alice, attestedUntil: '${inDays(365)}' }
`;

const capability = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: llm-serving, namespace: ${NS} }
spec:
  description: Serves an internal language model for support agents.
  intendedUse: Drafts answers that a support agent reviews before sending.
  accountableRole: wh-ml-owner
  autonomy: Supervised
  riskTier: Limited
`;

const delegation = (extra = ''): string => `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: llm-serving-llm, namespace: ${NS} }
spec:
  capability: llm-serving
  serviceAccount: llm
  validUntil: '${inDays(30)}'
  justification: The serving Deployment runs as this ServiceAccount.${extra}
`;

const vllm = (namespace: string, anchored: boolean, replicas = 1): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  namespace: ${namespace}
  labels: { app: vllm${anchored ? ', oos.dev/capability: llm-serving' : ''} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: vllm } }
  template:
    metadata:
      labels: { app: vllm${anchored ? ', oos.dev/capability: llm-serving' : ''} }
    spec:
      serviceAccountName: llm
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: [--model, mistralai/Mistral-7B-Instruct-v0.3]
`;

const nginx = (namespace: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${namespace} }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: nginx:1.27 }]
`;

const policy = `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Enforce
  enforcementRules:
    - namespaceSelector: { matchLabels: { environment: wh-sandbox } }
      enforcement: Warn
  governanceAdmins: { groups: [wh-governance-board] }
`;

interface Pod {
  metadata: { name: string };
}
interface ReplicaSet {
  metadata: { name: string };
  status?: { replicas?: number; conditions?: { type: string; message: string }[] };
}

let operator: RunningOperator;

describe('admission through the real apiserver', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy });
    operator = await startOperator();
    await kubectlOk(['apply', '-f', '-'], { stdin: capability, ...ALICE });
    await kubectlOk(['apply', '-f', '-'], { stdin: delegation(), ...ALICE });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, SANDBOX, '--wait=false']);
    await kubectl(['delete', 'accountablerole', 'wh-ml-owner', '--ignore-not-found']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'wh-e2e-people-admin', '--ignore-not-found']);
  });

  it('refuses an unanchored vLLM Deployment with AnchorMissing, and says how to fix it', async () => {
    const result = await kubectl(['apply', '-f', '-'], { stdin: vllm(NS, false), ...DEPLOYER });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('denied the request');
    expect(result.stderr).toContain('AnchorMissing');
    expect(result.stderr).toContain('oos.dev/capability');
    expect(result.stderr).toContain('llm-serving');
  });

  it('gives the same decision to a server-side dry run, with no side effect', async () => {
    const denied = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      stdin: vllm(NS, false),
      ...DEPLOYER,
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('AnchorMissing');
    const allowed = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      stdin: vllm(NS, true),
      ...DEPLOYER,
    });
    expect(allowed.code).toBe(0);
    const exists = await kubectl(['get', 'deployment', 'vllm', '-n', NS]);
    expect(exists.stderr).toContain('NotFound');
  });

  it('admits the anchored Deployment, and its ReplicaSet’s Pods too', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: vllm(NS, true), ...DEPLOYER });
    const pods = await waitFor('the vLLM Pod', async () => {
      const list = await getJson<{ items: Pod[] }>(['pods', '-n', NS, '-l', 'app=vllm']);
      return list.items.length === 1 ? list.items : undefined;
    });
    expect(pods[0]?.metadata.name).toMatch(/^vllm-/);
  });

  it('leaves a plain nginx alone', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: nginx(NS) });
    await waitFor('the nginx Pod', async () => {
      const list = await getJson<{ items: Pod[] }>(['pods', '-n', NS, '-l', 'app=web']);
      return list.items.length === 1 ? true : undefined;
    });
  });

  it('admits with a warning in Warn mode', async () => {
    const result = await kubectl(['apply', '-f', '-'], {
      stdin: vllm(SANDBOX, false),
      ...DEPLOYER,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Warning: .*no capability anchors it.*oos\.dev\/capability/);
  });

  it('never lets a machine grant a Delegation, and stamps the human who did', async () => {
    const byBot = await kubectl(['apply', '-f', '-'], {
      stdin: delegation().replace('llm-serving-llm', 'bot-grant'),
      ...BOT,
    });
    expect(byBot.code).not.toBe(0);
    expect(byBot.stderr).toContain('denied the request');

    const byOther = await kubectl(['apply', '-f', '-'], {
      stdin: delegation().replace('llm-serving-llm', 'mallory-grant'),
      ...MALLORY,
    });
    expect(byOther.code).not.toBe(0);

    const granted = await getJson<{ spec: { grantedBy?: string } }>([
      'delegation',
      'llm-serving-llm',
      '-n',
      NS,
    ]);
    expect(granted.spec.grantedBy).toBe('wh-alice');

    const forged = await kubectl(['apply', '-f', '-'], {
      stdin: delegation('\n  grantedBy: wh-alice').replace('llm-serving-llm', 'forged-grant'),
      ...MALLORY,
    });
    expect(forged.code).not.toBe(0);
    expect(forged.stderr).toContain('denied the request');
  });

  it('lets only a human holder acknowledge an Escalation, and stamps who did', async () => {
    await kubectlOk(['apply', '-f', '-'], {
      stdin: `
apiVersion: oos.dev/v1alpha1
kind: Escalation
metadata: { name: llm-serving-vacant, namespace: ${NS} }
spec:
  trigger: AccountabilityVacant
  severity: Critical
  subject: { apiVersion: oos.dev/v1alpha1, kind: Capability, name: llm-serving, namespace: ${NS} }
  capability: llm-serving
  accountableRole: wh-ml-owner
  summary: Role wh-ml-owner has no current holder; add one.
`,
    });
    const acknowledge = [
      'patch',
      'escalation',
      'llm-serving-vacant',
      '-n',
      NS,
      '--type=merge',
      '-p',
    ];
    const byBot = await kubectl([...acknowledge, '{"spec":{"acknowledged":true}}'], BOT);
    expect(byBot.code).not.toBe(0);
    expect(byBot.stderr).toContain('denied the request');
    const byOther = await kubectl([...acknowledge, '{"spec":{"acknowledged":true}}'], MALLORY);
    expect(byOther.code).not.toBe(0);
    await kubectlOk([...acknowledge, '{"spec":{"acknowledged":true}}'], ALICE);
    const acknowledged = await getJson<{
      spec: { acknowledged: boolean; acknowledgedBy?: string };
    }>(['escalation', 'llm-serving-vacant', '-n', NS]);
    expect(acknowledged.spec).toMatchObject({ acknowledged: true, acknowledgedBy: 'wh-alice' });
  });

  it('refuses the next Pod once the delegation is revoked', async () => {
    // A running Delegation is evidence and cannot be deleted (EvidenceRetained): it is revoked.
    await kubectlOk(
      [
        ...['patch', 'delegation', 'llm-serving-llm', '-n', NS, '--type=merge'],
        ...['-p', '{"spec":{"revoked":true}}'],
      ],
      ALICE,
    );
    // The informer cache sees the revocation within moments: a dry-run scale-up is refused then.
    await waitFor('the deletion to reach the cache', async () => {
      const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
        stdin: vllm(NS, true, 2),
        ...DEPLOYER,
      });
      return result.code !== 0 ? true : undefined;
    });
    // The ReplicaSet replaces a deleted Pod: that next Pod is judged, and refused.
    await kubectlOk(['delete', 'pods', '-n', NS, '-l', 'app=vllm', '--wait=false']);
    const message = await waitFor('the ReplicaSet to report the refused Pod', async () => {
      const list = await getJson<{ items: ReplicaSet[] }>([
        'replicasets',
        '-n',
        NS,
        '-l',
        'app=vllm',
      ]);
      const failure = list.items
        .flatMap((rs) => rs.status?.conditions ?? [])
        .find((c) => c.type === 'ReplicaFailure');
      return failure?.message;
    });
    expect(message).toContain('DelegationRevoked');
  });

  it('is not even asked about updates that change neither spec nor labels', async () => {
    const deploymentUpdates = async (): Promise<number> => {
      const text = (await operator.get('/metrics')).body;
      return [
        ...text.matchAll(
          /oos_admission_reviews_total\{kind="Deployment",operation="UPDATE"[^}]*\} (\d+)/g,
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    };
    const before = await deploymentUpdates();
    // The delegation is gone, yet annotating the Deployment works: the apiserver's CEL
    // matchCondition skips the webhook, and the engine would not judge it either. (An oos.dev/
    // annotation is the operator's state and is always sent: see e2e/adversary/.)
    await kubectlOk([
      'annotate',
      'deployment',
      'vllm',
      '-n',
      NS,
      'example.com/e2e-note=unchanged-spec',
    ]);
    expect(await deploymentUpdates()).toBe(before);
  });

  it('exposes its decisions as metrics', async () => {
    const metrics = await operator.get('/metrics');
    expect(metrics.body).toMatch(
      /oos_admission_reviews_total\{[^}]*decision="deny"[^}]*reason="AnchorMissing"[^}]*\} \d+/,
    );
    expect(metrics.body).toContain('oos_admission_review_duration_seconds_bucket');
    expect(metrics.body).toMatch(/oos_governance_cache_synced 1/);
  });

  it('fails closed when the webhook is down, except in kube-system and its own namespace', async () => {
    await operator.stop();
    const refused = await kubectl(['apply', '-f', '-'], {
      stdin: vllm(NS, true).replace('name: vllm\n', 'name: vllm-2\n'),
      ...DEPLOYER,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/failed calling webhook|connection refused/);
    for (const namespace of ['kube-system', OPERATOR_NAMESPACE]) {
      await kubectlOk([
        'create',
        'configmap',
        'still-works',
        '-n',
        namespace,
        '--from-literal=a=b',
      ]);
      await kubectlOk(['apply', '-f', '-'], { stdin: nginx(namespace) });
      await kubectlOk(['delete', 'deployment', 'web', '-n', namespace]);
      await kubectlOk(['delete', 'configmap', 'still-works', '-n', namespace]);
    }
  });
});
