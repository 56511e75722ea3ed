import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk } from '../support/kubectl.js';
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
} from './support.js';

// The workload caches keep of a status only what the audit reads (a Pod's phase, replicas, the
// conditions that end a Job): a status write that changes nothing of it starts no round, one that
// does (the Pod failed) is acted on. On a real cluster Pods write their status far more often
// than anything else changes.
const NS = 'ctl-workload-status';
const DAN = as('ctl-workload-status-dan');
const ROUNDS = 'oos_controller_round_duration_seconds_count';

const setup = `
${peopleRbac('ctl-workload-status-people')}
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
---
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Audit
`;

/** A bare Pod that is an AI workload (a model-provider credential) and names no capability. */
const agent = `
apiVersion: v1
kind: Pod
metadata: { name: agent, namespace: ${NS} }
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:2
      env: [{ name: OPENAI_API_KEY, value: not-a-real-key }]
`;

const statusPatch = (status: Record<string, unknown>): Promise<string> =>
  kubectlOk([
    ...['patch', 'pod', 'agent', '-n', NS, '--subresource=status', '--type=merge'],
    ...['-p', JSON.stringify({ status })],
  ]);

let operator: RunningOperator;

/** The controller's round count once it has stopped moving. */
async function settledRounds(): Promise<number> {
  let last = -1;
  return waitFor(
    'the controller to be idle',
    async () => {
      const now = (await metric(operator, ROUNDS)) ?? 0;
      const settled = now === last;
      last = now;
      return settled ? now : undefined;
    },
    { intervalMs: 1_500 },
  );
}

describe('a workload status write the audit does not read', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    // No audit round in the test's time: every round comes from a change.
    operator = await startController(['--audit-interval', '1h']);
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl([
      ...['delete', 'clusterrolebinding', 'ctl-workload-status-people'],
      '--ignore-not-found',
    ]);
  });

  it('starts no round, while the phase the audit reads is acted on', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: agent, ...DAN });
    await waitForEscalation(NS, 'UnanchoredWorkload', 'agent', isOpen);
    const before = await settledRounds();

    // What the kubelet writes as a Pod starts: conditions, addresses, container states.
    for (let i = 0; i < 5; i++) {
      await statusPatch({
        conditions: [{ type: 'PodScheduled', status: 'False', reason: `Attempt${i}` }],
        podIP: `198.18.64.${10 + i}`,
        podIPs: [{ ip: `198.18.64.${10 + i}` }],
      });
    }
    // Each write landed (kubectl patch succeeded); none started a round.
    const after = await settledRounds();
    expect(after).toBe(before);

    // The phase is what the audit reads: a Pod that ended no longer runs, its escalation resolves.
    await statusPatch({ phase: 'Failed', reason: 'Evicted' });
    await waitForEscalation(NS, 'UnanchoredWorkload', 'agent', (e) => !isOpen(e));
    expect(await metric(operator, ROUNDS)).toBeGreaterThan(after);
  });
});
