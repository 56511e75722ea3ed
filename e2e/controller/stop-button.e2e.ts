import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  conditionOf,
  installCrds,
  isoIn,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
  waitForEvent,
  type Condition,
} from './support.js';

const NS = 'ctl-stop';
const OWNER = 'ctl-stop-owner';
const ERIN = as('ctl-stop-erin');
const MALLORY = as('ctl-stop-mallory');
const ANNOTATION = 'oos.dev/replicas-before-suspend';

const setup = `
${peopleRbac('ctl-stop-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: chat-bot, namespace: ${NS} }
---
${role(OWNER, ['ctl-stop-erin'])}
`;

const governance = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: chat, namespace: ${NS} }
spec:
  description: Drafts answers to customer questions.
  intendedUse: An agent reviews every draft before sending it.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  stopAction: ScaleToZero
---
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: chat-chat-bot, namespace: ${NS} }
spec:
  capability: chat
  serviceAccount: chat-bot
  validUntil: '${isoIn(86_400_000)}'
  justification: The chat Deployment runs as this ServiceAccount.
`;

const workloads = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: chat, namespace: ${NS}, labels: { oos.dev/capability: chat } }
spec:
  replicas: 2
  selector: { matchLabels: { app: chat } }
  template:
    metadata: { labels: { app: chat, oos.dev/capability: chat } }
    spec:
      serviceAccountName: chat-bot
      containers: [{ name: vllm, image: vllm/vllm-openai:v0.6.3 }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly-eval, namespace: ${NS}, labels: { oos.dev/capability: chat } }
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        metadata: { labels: { oos.dev/capability: chat } }
        spec:
          serviceAccountName: chat-bot
          restartPolicy: Never
          containers: [{ name: eval, image: vllm/vllm-openai:v0.6.3 }]
`;

interface Deployment {
  metadata: { annotations?: Record<string, string> };
  spec: { replicas: number };
}
interface Capability {
  spec: { suspendedBy?: string; resumedBy?: string };
  status?: { workloads?: number; conditions?: Condition[] };
}

const pods = async (): Promise<number> =>
  (await getJson<{ items: unknown[] }>(['pods', '-n', NS, '-l', 'app=chat'])).items.length;

const cronSuspended = async (): Promise<boolean | undefined> =>
  (await getJson<{ spec: { suspend?: boolean } }>(['cronjob', 'nightly-eval', '-n', NS])).spec
    .suspend;

let operator: RunningOperator;

describe('the stop button', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    operator = await startController();
    await kubectlOk(['apply', '-f', '-'], { stdin: governance, ...ERIN });
    await kubectlOk(['apply', '-f', '-'], { stdin: workloads, ...ERIN });
    await waitFor('the two chat Pods', async () => ((await pods()) === 2 ? true : undefined));
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', OWNER, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-stop-people', '--ignore-not-found']);
  });

  it('counts the running workloads of the capability', async () => {
    await waitFor('the capability to count its workloads', async () => {
      const c = await getJson<Capability>(['capability', 'chat', '-n', NS]);
      return c.status?.workloads === 2 && conditionOf(c, 'Ready')?.status === 'True'
        ? true
        : undefined;
    });
  });

  it('scales the Deployment to zero and suspends the CronJob when anyone presses stop', async () => {
    await kubectlOk(
      [
        'patch',
        'capability',
        'chat',
        '-n',
        NS,
        '--type',
        'merge',
        '-p',
        '{"spec":{"suspend":true,"suspendReason":"Answers leak account numbers."}}',
      ],
      MALLORY,
    );
    const scaled = await waitFor('the Deployment at zero replicas', async () => {
      const d = await getJson<Deployment>(['deployment', 'chat', '-n', NS]);
      return d.spec.replicas === 0 ? d : undefined;
    });
    expect(scaled.metadata.annotations?.[ANNOTATION]).toBe('2');
    await waitFor('the controller manager to delete the Pods', async () =>
      (await pods()) === 0 ? true : undefined,
    );
    await waitFor('the CronJob to be suspended', async () =>
      (await cronSuspended()) === true ? true : undefined,
    );
    await waitForEvent(NS, 'ScaledToZero', 'Deployment', 'chat');
  });

  it('records who pressed stop in the capability status and events', async () => {
    const capability = await waitFor('the Suspended condition', async () => {
      const c = await getJson<Capability>(['capability', 'chat', '-n', NS]);
      return conditionOf(c, 'Suspended')?.status === 'True' ? c : undefined;
    });
    expect(capability.spec.suspendedBy).toBe('ctl-stop-mallory');
    expect(conditionOf(capability, 'Suspended')?.message).toContain('ctl-stop-mallory');
    expect(conditionOf(capability, 'Suspended')?.message).toContain(
      'Answers leak account numbers.',
    );
    expect(conditionOf(capability, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'SuspendedByHuman',
    });
    const event = await waitForEvent(NS, 'Suspended', 'Capability', 'chat');
    expect(event.note).toContain('ctl-stop-mallory');
  });

  it('refuses a resume by someone who is not accountable, and restores the replicas when a holder resumes', async () => {
    const resume = [
      'patch',
      'capability',
      'chat',
      '-n',
      NS,
      '--type',
      'merge',
      '-p',
      '{"spec":{"suspend":false}}',
    ];
    const refused = await kubectl(resume, MALLORY);
    expect(refused.code).not.toBe(0);
    await kubectlOk(resume, ERIN);
    const restored = await waitFor(
      'the Deployment back at 2 replicas, annotation removed',
      async () => {
        const d = await getJson<Deployment>(['deployment', 'chat', '-n', NS]);
        return d.spec.replicas === 2 && d.metadata.annotations?.[ANNOTATION] === undefined
          ? d
          : undefined;
      },
    );
    expect(restored.spec.replicas).toBe(2);
    await waitFor('the two chat Pods again', async () => ((await pods()) === 2 ? true : undefined));
    await waitFor('the CronJob to run again', async () =>
      (await cronSuspended()) === false ? true : undefined,
    );
    const capability = await waitFor('the Suspended condition to clear', async () => {
      const c = await getJson<Capability>(['capability', 'chat', '-n', NS]);
      return conditionOf(c, 'Suspended')?.status === 'False' ? c : undefined;
    });
    expect(capability.spec.resumedBy).toBe('ctl-stop-erin');
    expect(conditionOf(capability, 'Suspended')).toMatchObject({
      reason: 'Resumed',
      message: 'Resumed by ctl-stop-erin.',
    });
    await waitForEvent(NS, 'ReplicasRestored', 'Deployment', 'chat');
  });
});
