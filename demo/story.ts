import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Terminal } from './terminal.js';

/** Who acts in the story (impersonated; RBAC lets the demo's people do anything, oos decides). */
export const PEOPLE = 'oos-demo-people';
const GOVERNANCE_ADMIN = { as: 'gina', groups: [PEOPLE, 'governance-board'] };
const ALICE = { as: 'alice', groups: [PEOPLE] }; // a Credit Risk Officer (samples/)
const CAROL = { as: 'carol', groups: [PEOPLE] }; // the Accounts Payable Lead (samples/)
const SCORER = { as: 'system:serviceaccount:risk-ai:fraud-scorer' };
const NS = 'risk-ai';
/** The fraud scorer's image. With a node, `npm run demo -- --node` imports a stand-in under this name. */
export const MODEL_IMAGE = 'registry.example.com/risk/fraud-scorer:1.4.2';

/** Where the story's Pods go. */
export interface Stage {
  /** A real node runs them (`npm run demo -- --node`); otherwise they stay Pending. */
  readonly node: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the demo waited ${timeoutMs / 1000} s for ${what}`);
    await sleep(500);
  }
}

function deployment(
  name: string,
  labels: string,
  image: string,
  serviceAccount: string,
  replicas: number,
): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { app: ${name}${labels} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}${labels} } }
    spec:
      serviceAccountName: ${serviceAccount}
      containers:
        - name: model
          image: ${image}
          resources: { limits: { nvidia.com/gpu: 1 } }
`;
}

function delegation(name: string, serviceAccount: string, from: number, until: number): string {
  return `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${name}, namespace: ${NS} }
spec:
  capability: fraud-scoring
  serviceAccount: ${serviceAccount}
  validFrom: '${rfc3339(from)}'
  validUntil: '${rfc3339(until)}'
  justification: Demo delegation of fraud scoring to ${serviceAccount}.
`;
}

/** The organisation of samples/, applied by the people who may apply it. */
async function organisation(t: Terminal, samples: string): Promise<void> {
  const sample = (file: string): string => readFileSync(join(samples, file), 'utf8');
  t.chapter(
    1,
    'An organisation declares who answers for its AI',
    'The cluster admin bootstraps the operating model, which names the governance board; Gina, a governance admin, then applies the roles (held by named people), an escalation policy and two capabilities from samples/.',
  );
  await t.must(['apply', '-f', '-'], { stdin: sample('00-namespace.yaml') });
  // While no GovernancePolicy names governance admins, the cluster's bootstrap admins
  // (group system:masters: the demo's admin certificate) are the ones.
  await t.must(['apply', '-f', '-'], { stdin: sample('20-governance-policy.yaml') });
  for (const file of [
    '10-accountable-roles.yaml',
    '30-escalation-policy.yaml',
    '40-capabilities.yaml',
  ]) {
    await t.must(['apply', '-f', '-'], { stdin: sample(file), ...GOVERNANCE_ADMIN });
  }
  t.say(
    'Alice, a current holder of credit-risk-officer, delegates fraud scoring to the fraud-scorer ServiceAccount:',
  );
  const now = Date.now();
  await t.show(['apply', '-f', '-'], {
    stdin: delegation('fraud-scoring-fraud-scorer', 'fraud-scorer', now, now + 60 * 86_400_000),
    label: 'samples/50-delegation.yaml, dated from today',
    ...ALICE,
  });
  await t.show([
    'get',
    'delegation',
    'fraud-scoring-fraud-scorer',
    '-n',
    NS,
    '-o',
    'jsonpath=grantedBy={.spec.grantedBy}{"\\n"}',
  ]);
  await t.show(['get', 'oos', '-A']);
}

/** The fraud-scorer Pods' names and phases. */
async function scorerPods(t: Terminal): Promise<string[]> {
  const pods = await t.kubectl([
    ...['get', 'pods', '-n', NS, '-l', 'app=fraud-scorer'],
    '-o',
    'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}',
  ]);
  return pods.stdout.split('\n').filter(Boolean);
}

export async function story(t: Terminal, samples: string, stage: Stage): Promise<void> {
  await organisation(t, samples);

  t.chapter(
    2,
    'An AI workload no human answers for is refused',
    'A vLLM Deployment with a GPU and no capability label:',
  );
  const refused = await t.show(['apply', '-f', '-'], {
    stdin: deployment('vllm', '', 'vllm/vllm-openai:v0.6.3', 'default', 1),
    label: 'Deployment risk-ai/vllm, no oos.dev/capability label',
  });
  if (refused.code === 0) throw new Error('the unanchored Deployment was admitted');

  t.chapter(
    3,
    'Anchored, it is admitted',
    'The same kind of workload, labelled with its capability and running as the delegated ServiceAccount:',
  );
  await t.show(['apply', '-f', '-'], {
    stdin: deployment(
      'fraud-scorer',
      ', oos.dev/capability: fraud-scoring',
      MODEL_IMAGE,
      'fraud-scorer',
      2,
    ),
    label: 'Deployment risk-ai/fraud-scorer, oos.dev/capability: fraud-scoring',
  });
  await until(`the fraud-scorer Pods${stage.node ? ' to run' : ''}`, async () => {
    const phases = await scorerPods(t);
    const ready = stage.node ? phases.filter((p) => p === 'Running') : phases;
    return ready.length === 2 ? true : undefined;
  });
  await t.show(['get', 'pods', '-n', NS, '-l', 'app=fraud-scorer'], {
    label: stage.node
      ? 'Running on the local node (a stand-in image made locally; the GPU is an advertised extended resource)'
      : 'Pending: this control plane has no nodes (npm run demo -- --node adds one)',
  });

  t.chapter(
    4,
    'A machine cannot grant itself execution',
    'The fraud-scorer ServiceAccount tries to delegate fraud scoring to itself:',
  );
  const selfGrant = await t.show(['apply', '-f', '-'], {
    stdin: delegation('self-granted', 'fraud-scorer', Date.now(), Date.now() + 86_400_000),
    ...SCORER,
  });
  if (selfGrant.code === 0) throw new Error('a ServiceAccount granted itself a delegation');

  t.chapter(
    5,
    'AI talks to AI only where both accountable roles agreed',
    'Invoice triage calls fraud scoring: Carol declared the call for invoice triage, the Credit Risk Officer accepted it for fraud scoring (samples/40-capabilities.yaml). The controller records each side of the edge:',
  );
  await until("the agreed edge in the capabilities' status", async () => {
    const states = await t.kubectl([
      ...['get', 'capability', 'fraud-scoring', '-n', NS],
      '-o',
      'jsonpath={.status.interactions[*].state}',
    ]);
    return states.stdout.includes('Agreed') ? true : undefined;
  });
  await t.show([
    ...['get', 'capabilities', '-n', NS],
    '-o',
    'custom-columns=CAPABILITY:.metadata.name,DIRECTION:.status.interactions[*].direction,PEER:.status.interactions[*].peer,STATE:.status.interactions[*].state',
  ]);
  t.say(
    "Carol wants a second agent of hers to call fraud scoring too, and tries to accept it on fraud scoring's behalf:",
  );
  const consent = await t.show(
    [
      ...['patch', 'capability', 'fraud-scoring', '-n', NS, '--type=json', '-p'],
      JSON.stringify([
        {
          op: 'add',
          path: '/spec/interactions/acceptsFrom/-',
          value: {
            namespace: NS,
            capability: 'payment-agent',
            justification: 'Carol would like this.',
          },
        },
      ]),
    ],
    CAROL,
  );
  if (consent.code === 0) throw new Error("Carol consented on the Credit Risk Officer's behalf");

  t.chapter(
    6,
    'Time passes: a delegation expires, humans are pulled in',
    'Alice delegates to a batch ServiceAccount for 20 seconds. The controller raises DelegationExpiring at once (the policy warns 14 days ahead), then DelegationExpired at the exact expiry:',
  );
  await t.must(['create', 'serviceaccount', 'batch-scorer', '-n', NS]);
  await t.show(['apply', '-f', '-'], {
    stdin: delegation(
      'fraud-scoring-batch-scorer',
      'batch-scorer',
      Date.now(),
      Date.now() + 20_000,
    ),
    ...ALICE,
  });
  await until('the DelegationExpired escalation', async () => {
    const list = await t.kubectl([
      'get',
      'escalations',
      '-n',
      NS,
      '-o',
      'jsonpath={.items[*].spec.trigger}',
    ]);
    return list.stdout.includes('DelegationExpired') ? true : undefined;
  });
  await t.show(['get', 'escalations', '-n', NS]);
  await t.show([
    'get',
    'events',
    '-n',
    NS,
    '--field-selector',
    'involvedObject.kind=Delegation',
    '-o',
    'custom-columns=REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message',
  ]);

  t.chapter(
    7,
    'The human stop button',
    'Anyone may stop a capability; with stopAction ScaleToZero the controller scales its workloads to zero and remembers how many there were:',
  );
  await t.show(
    [
      'patch',
      'capability',
      'fraud-scoring',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"spec":{"suspend":true,"suspendReason":"Demo: model drift under investigation"}}',
    ],
    ALICE,
  );
  await until('the fraud-scorer Deployment to scale to zero', async () => {
    const replicas = await t.kubectl([
      'get',
      'deployment',
      'fraud-scorer',
      '-n',
      NS,
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    return replicas.stdout.trim() === '0' ? true : undefined;
  });
  await t.show([
    'get',
    'deployment',
    'fraud-scorer',
    '-n',
    NS,
    '-o',
    'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,REMEMBERED:.metadata.annotations.oos\\.dev/replicas-before-suspend',
  ]);
  if (stage.node) {
    await until('the fraud-scorer Pods to stop', async () =>
      (await scorerPods(t)).length === 0 ? true : undefined,
    );
    await t.show(['get', 'pods', '-n', NS, '-l', 'app=fraud-scorer'], {
      label: 'the running Pods have stopped',
    });
  }
  await t.show([
    'get',
    'capability',
    'fraud-scoring',
    '-n',
    NS,
    '-o',
    'jsonpath=suspendedBy={.spec.suspendedBy}{"\\n"}',
  ]);
}
