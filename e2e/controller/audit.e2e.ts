import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  installCrds,
  isOpen,
  metric,
  peopleRbac,
  removeWebhooks,
  startController,
  waitForEscalation,
  waitForEvent,
} from './support.js';

const NS = 'ctl-audit';
const CAROL = as('ctl-audit-carol');
const RETENTION_SECONDS = 10;

const setup = `
${peopleRbac('ctl-audit-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: default, namespace: ${NS} }
spec:
  triggers: [{ type: UnanchoredWorkload, severity: Critical }]
  levels: [{ after: 0s, notifyAccountableRole: true }]
  retention: ${RETENTION_SECONDS}s
`;

const policy = (enforcement: string): string => `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: ${enforcement}
`;

const agent = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: support-agent, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: support-agent } }
  template:
    metadata: { labels: { app: support-agent } }
    spec:
      containers:
        - name: agent
          image: registry.example.com/support-agent:1.4
          env: [{ name: OPENAI_API_KEY, value: not-a-real-key }]
`;

let operator: RunningOperator;
let resolvedName = '';

describe('the background audit', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('Audit') });
    operator = await startController(['--audit-interval', '5s']);
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-audit-people', '--ignore-not-found']);
  });

  it('finds an AI workload admitted in Audit mode and escalates it as UnanchoredWorkload', async () => {
    const admitted = await kubectl(['apply', '-f', '-'], { stdin: agent, ...CAROL });
    expect(admitted.code).toBe(0);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('Enforce') });
    await waitFor('Enforce to refuse the same workload', async () => {
      const again = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
        stdin: agent.replace('name: support-agent,', 'name: support-agent-2,'),
        ...CAROL,
      });
      return again.code !== 0 && again.stderr.includes('AnchorMissing') ? true : undefined;
    });
    const escalation = await waitForEscalation(NS, 'UnanchoredWorkload', 'support-agent', isOpen);
    expect(escalation.spec).toMatchObject({
      severity: 'Critical',
      subject: { kind: 'Deployment', name: 'support-agent', namespace: NS },
    });
    expect(escalation.spec.summary).toContain('AnchorMissing');
    expect(escalation.spec.summary).toContain('OPENAI_API_KEY');
    await waitForEvent(NS, 'EscalationOpened', 'Deployment', 'support-agent');
  });

  it('publishes what it found as metrics', async () => {
    await waitFor('the audit metrics', async () =>
      (await metric(operator, 'oos_unanchored_ai_workloads')) === 1 ? true : undefined,
    );
    expect(
      await metric(operator, 'oos_ai_workloads', {
        namespace: NS,
        capability: '',
        anchored: 'false',
      }),
    ).toBe(1);
  });

  it('resolves the escalation once the workload is gone', async () => {
    await kubectlOk(['delete', 'deployment', 'support-agent', '-n', NS], CAROL);
    const resolved = await waitForEscalation(
      NS,
      'UnanchoredWorkload',
      'support-agent',
      (e) => !isOpen(e),
    );
    expect(await metric(operator, 'oos_unanchored_ai_workloads')).toBe(0);
    resolvedName = resolved.metadata.name;
  });

  it('keeps the resolved escalation as evidence, and deletes it once its policy’s retention has passed', async () => {
    const kept = await getJson<{ status: { resolvedAt?: string } }>([
      'escalation',
      resolvedName,
      '-n',
      NS,
    ]);
    expect(kept.status.resolvedAt).toBeDefined();
    await waitFor(
      'the escalation to be deleted',
      async () =>
        (await kubectl(['get', 'escalation', resolvedName, '-n', NS])).code !== 0
          ? true
          : undefined,
      { timeoutMs: (RETENTION_SECONDS + 20) * 1000 },
    );
  });
});
