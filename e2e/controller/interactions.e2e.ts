import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  conditionOf,
  installCrds,
  isOpen,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
  waitForEscalation,
  waitForEvent,
  type Condition,
} from './support.js';

/**
 * The coordination layer on the real control plane, as people use it with kubectl: under a Closed
 * policy the controller writes each capability's interactions into its status, owns one
 * NetworkPolicy per capability that admits only the agreed edges, writes it back when someone
 * changes or deletes it (Event, escalation, metric), deletes it with the capability and when the
 * policy turns Open, and asks the role that must answer when one side waits longer than maxPending.
 */

const CALLER_NS = 'ctl-int-finance';
const CALLEE_NS = 'ctl-int-risk';
const CALLER_ROLE = 'ctl-int-finance-owner';
const CALLEE_ROLE = 'ctl-int-risk-owner';
const ALICE = as('ctl-int-alice');
const BOB = as('ctl-int-bob');
/**
 * Whoever tampers here does it as the operator's own identity (the admin user this operator runs
 * as): admission refuses every other identity (ManagedByOos, e2e/adversary/interactions.e2e.ts),
 * so this is the write that got past admission — a bypass — that the repair is there for
 * (docs/threat-model.md §15).
 */
const PAST_ADMISSION = {};
const CALLER_POLICY = 'oos-interactions-triage';
const CALLEE_POLICY = 'oos-interactions-scoring';

const setup = `
${peopleRbac('ctl-int-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${CALLER_NS} }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${CALLEE_NS} }
---
${role(CALLER_ROLE, ['ctl-int-alice'])}
---
${role(CALLEE_ROLE, ['ctl-int-bob'])}
`;

const policy = (posture: string): string => `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Audit
  coordination:
    posture: ${posture}
    maxPending: 3s
`;

const calls = `
    calls:
      - namespace: ${CALLEE_NS}
        capability: scoring
        ports: [{ port: 8080 }]
        justification: Triage asks for a fraud score before it routes an invoice.`;

const accepts = `
    acceptsFrom:
      - namespace: ${CALLER_NS}
        capability: triage
        justification: Scores invoices for finance's triage.`;

const caller = (interactions: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: triage, namespace: ${CALLER_NS} }
spec:
  description: Routes supplier invoices.
  intendedUse: Clerks review every routing.
  accountableRole: ${CALLER_ROLE}
  autonomy: Supervised
  riskTier: Limited
  delegationRequired: false
  interactions:${interactions === '' ? ' {}' : interactions}
`;

const callee = (interactions: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: scoring, namespace: ${CALLEE_NS} }
spec:
  description: Scores invoices for fraud.
  intendedUse: Analysts act on high scores.
  accountableRole: ${CALLEE_ROLE}
  autonomy: Supervised
  riskTier: Limited
  delegationRequired: false
  interactions:${interactions === '' ? ' {}' : interactions}
`;

interface InteractionStatus {
  direction: string;
  peer: string;
  state: string;
  since?: string;
  message?: string;
}

interface CapabilityObject {
  metadata: { uid: string };
  status?: { interactions?: InteractionStatus[]; conditions?: Condition[] };
}

interface Peer {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: number; protocol: string }[];
}

interface NetworkPolicy {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string }[];
  };
  spec: { podSelector: Peer['podSelector']; ingress?: Rule[]; egress?: Rule[] };
}

const capabilityOf = (namespace: string, name: string) =>
  getJson<CapabilityObject>(['capability', name, '-n', namespace]);

const policyOf = async (namespace: string, name: string): Promise<NetworkPolicy | undefined> => {
  const result = await kubectl(['get', 'networkpolicy', name, '-n', namespace, '-o', 'json']);
  return result.code === 0 ? (JSON.parse(result.stdout) as NetworkPolicy) : undefined;
};

/** Whether a rule's peers are the Pods of capability `name` in `namespace`. */
const namesPods = (peers: Peer[] | undefined, namespace: string, name: string): boolean =>
  (peers ?? []).some(
    (p) =>
      p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace &&
      p.podSelector?.matchLabels?.['oos.dev/capability'] === name,
  );

const egressTo = (policy: NetworkPolicy | undefined, namespace: string, name: string) =>
  (policy?.spec.egress ?? []).filter((r) => namesPods(r.to, namespace, name));
const ingressFrom = (policy: NetworkPolicy | undefined, namespace: string, name: string) =>
  (policy?.spec.ingress ?? []).filter((r) => namesPods(r.from, namespace, name));

async function entryOf(
  namespace: string,
  name: string,
  direction: string,
  state: string,
): Promise<InteractionStatus | undefined> {
  const found = await capabilityOf(namespace, name);
  return found.status?.interactions?.find((e) => e.direction === direction && e.state === state);
}

let operator: RunningOperator;

describe('the coordination layer’s controller', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('Closed') });
    operator = await startController(['--audit-interval', '5s']);
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', CALLER_NS, CALLEE_NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', CALLER_ROLE, CALLEE_ROLE, '--ignore-not-found']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-int-people', '--ignore-not-found']);
  });

  it('shows a call the callee does not accept as WaitingForPeer, and opens no path for it', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: callee(''), ...BOB });
    await kubectlOk(['apply', '-f', '-'], { stdin: caller(calls), ...ALICE });
    const waiting = await waitFor('the caller’s status to show it waits', () =>
      entryOf(CALLER_NS, 'triage', 'Calls', 'WaitingForPeer'),
    );
    expect(waiting.peer).toBe(`${CALLEE_NS}/scoring`);
    expect(waiting.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(waiting.message).toContain(CALLEE_ROLE);
    const condition = conditionOf(await capabilityOf(CALLER_NS, 'triage'), 'InteractionsAgreed');
    expect(condition).toMatchObject({ status: 'False', reason: 'WaitingForPeer' });

    const owned = await waitFor('the caller’s NetworkPolicy', () =>
      policyOf(CALLER_NS, CALLER_POLICY),
    );
    expect(owned.metadata.labels).toMatchObject({ 'oos.dev/managed-by': 'oos' });
    const uid = (await capabilityOf(CALLER_NS, 'triage')).metadata.uid;
    expect(owned.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Capability', name: 'triage', uid }),
    ]);
    expect(owned.spec.podSelector?.matchLabels).toEqual({ 'oos.dev/capability': 'triage' });
    // DNS only: no egress to the callee until it agrees.
    expect(egressTo(owned, CALLEE_NS, 'scoring')).toEqual([]);
    expect(
      (owned.spec.egress ?? []).some((r) =>
        (r.to ?? []).some((p) => p.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns'),
      ),
    ).toBe(true);
    const isolated = await waitFor('the callee’s NetworkPolicy', () =>
      policyOf(CALLEE_NS, CALLEE_POLICY),
    );
    expect(ingressFrom(isolated, CALLER_NS, 'triage')).toEqual([]);
  });

  it('asks the callee’s role once the call has waited longer than maxPending', async () => {
    const pending = await waitForEscalation(CALLEE_NS, 'InteractionPending', 'triage', isOpen);
    expect(pending.spec).toMatchObject({
      severity: 'Warning',
      capability: 'scoring',
      accountableRole: CALLEE_ROLE,
      subject: { kind: 'Capability', namespace: CALLER_NS, name: 'triage' },
    });
    expect(pending.spec.summary).toContain(`A current holder of role ${CALLEE_ROLE} must answer`);
  });

  it('agrees the edge once the callee accepts it: both Agreed, both policies open it, the escalation resolves', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: callee(accepts), ...BOB });
    await waitFor('the caller’s entry to be Agreed', () =>
      entryOf(CALLER_NS, 'triage', 'Calls', 'Agreed'),
    );
    const accepted = await waitFor('the callee’s entry to be Agreed', () =>
      entryOf(CALLEE_NS, 'scoring', 'AcceptsFrom', 'Agreed'),
    );
    expect(accepted.peer).toBe(`${CALLER_NS}/triage`);
    expect(
      conditionOf(await capabilityOf(CALLER_NS, 'triage'), 'InteractionsAgreed'),
    ).toMatchObject({ status: 'True', reason: 'AllAgreed' });

    const admits = await waitFor('the callee’s policy to admit the caller’s Pods', async () => {
      const found = await policyOf(CALLEE_NS, CALLEE_POLICY);
      return ingressFrom(found, CALLER_NS, 'triage').length > 0 ? found : undefined;
    });
    expect(ingressFrom(admits, CALLER_NS, 'triage')[0]?.ports).toEqual([
      { port: 8080, protocol: 'TCP' },
    ]);
    const reaches = await waitFor('the caller’s policy to allow the callee', async () => {
      const found = await policyOf(CALLER_NS, CALLER_POLICY);
      return egressTo(found, CALLEE_NS, 'scoring').length > 0 ? found : undefined;
    });
    expect(egressTo(reaches, CALLEE_NS, 'scoring')[0]?.ports).toEqual([
      { port: 8080, protocol: 'TCP' },
    ]);

    await waitForEscalation(CALLEE_NS, 'InteractionPending', 'triage', (e) => !isOpen(e));
    expect(
      await metric(operator, 'oos_interactions', { direction: 'Calls', state: 'Agreed' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('writes back a managed policy someone opens up, with an Event and an escalation to the role', async () => {
    // A write that got past admission lets everyone in.
    await kubectlOk(
      [
        'patch',
        'networkpolicy',
        CALLEE_POLICY,
        '-n',
        CALLEE_NS,
        '--type',
        'merge',
        '-p',
        '{"spec":{"ingress":[{}]}}',
      ],
      PAST_ADMISSION,
    );
    const repaired = await waitFor('the callee’s policy to be written back', async () => {
      const found = await policyOf(CALLEE_NS, CALLEE_POLICY);
      const rules = found?.spec.ingress ?? [];
      return rules.length > 0 && rules.every((r) => (r.from ?? []).length > 0) ? found : undefined;
    });
    expect(repaired.metadata.annotations?.['oos.dev/repair-cause']).toBe('changed');
    const event = await waitForEvent(CALLEE_NS, 'NetworkPolicyRepaired', 'Capability', 'scoring');
    expect(event.type).toBe('Warning');
    expect(event.note).toContain('changed by someone other than oos');
    const tampered = await waitForEscalation(
      CALLEE_NS,
      'NetworkPolicyTampered',
      CALLEE_POLICY,
      isOpen,
    );
    expect(tampered.spec).toMatchObject({
      severity: 'Critical',
      capability: 'scoring',
      accountableRole: CALLEE_ROLE,
    });
    expect(
      await metric(operator, 'oos_network_policy_repairs_total', { cause: 'changed' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('recreates a managed policy someone deletes', async () => {
    await kubectlOk(['delete', 'networkpolicy', CALLER_POLICY, '-n', CALLER_NS], PAST_ADMISSION);
    const back = await waitFor('the caller’s policy to be recreated', async () => {
      const found = await policyOf(CALLER_NS, CALLER_POLICY);
      return found?.metadata.annotations?.['oos.dev/repair-cause'] === 'deleted'
        ? found
        : undefined;
    });
    expect(egressTo(back, CALLEE_NS, 'scoring')).toHaveLength(1);
    await waitForEscalation(CALLER_NS, 'NetworkPolicyTampered', CALLER_POLICY, isOpen);
    expect(
      await metric(operator, 'oos_network_policy_repairs_total', { cause: 'deleted' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('takes back a managed policy someone took the oos label off', async () => {
    await kubectlOk(
      ['label', 'networkpolicy', CALLER_POLICY, '-n', CALLER_NS, 'oos.dev/managed-by-'],
      PAST_ADMISSION,
    );
    const back = await waitFor('the caller’s policy to carry the label again', async () => {
      const found = await policyOf(CALLER_NS, CALLER_POLICY);
      return found?.metadata.labels?.['oos.dev/managed-by'] === 'oos' &&
        found.metadata.annotations?.['oos.dev/repair-cause'] === 'changed'
        ? found
        : undefined;
    });
    expect(egressTo(back, CALLEE_NS, 'scoring')).toHaveLength(1);
  });

  it('closes the path again when the caller withdraws the call', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: caller(''), ...ALICE });
    await waitFor('the callee’s policy to stop admitting the caller', async () => {
      const found = await policyOf(CALLEE_NS, CALLEE_POLICY);
      return found !== undefined && ingressFrom(found, CALLER_NS, 'triage').length === 0
        ? true
        : undefined;
    });
    await waitFor('the caller’s policy to stop allowing the callee', async () => {
      const found = await policyOf(CALLER_NS, CALLER_POLICY);
      return found !== undefined && egressTo(found, CALLEE_NS, 'scoring').length === 0
        ? true
        : undefined;
    });
    // The callee still accepts: it now waits for the caller.
    await waitFor('the callee’s entry to wait for the caller', () =>
      entryOf(CALLEE_NS, 'scoring', 'AcceptsFrom', 'WaitingForPeer'),
    );
  });

  it('lets the garbage collector delete the policy with its capability, and repairs nothing', async () => {
    const before =
      (await metric(operator, 'oos_network_policy_repairs_total', { cause: 'deleted' })) ?? 0;
    const applied = await metric(operator, 'oos_network_policy_writes_total', { action: 'apply' });
    await kubectlOk(['delete', 'capability', 'triage', '-n', CALLER_NS], ALICE);
    await waitFor('the caller’s policy to be gone', async () =>
      (await policyOf(CALLER_NS, CALLER_POLICY)) === undefined ? true : undefined,
    );
    // A few rounds later it is still gone, and nothing counted it as tampering.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await policyOf(CALLER_NS, CALLER_POLICY)).toBeUndefined();
    expect(
      (await metric(operator, 'oos_network_policy_repairs_total', { cause: 'deleted' })) ?? 0,
    ).toBe(before);
    // The callee's policy, as oos wrote it, reads as intact: no round rewrites it again.
    expect(await metric(operator, 'oos_network_policy_writes_total', { action: 'apply' })).toBe(
      applied,
    );
  });

  it('deletes every managed policy when the GovernancePolicy turns Open', async () => {
    expect(await policyOf(CALLEE_NS, CALLEE_POLICY)).toBeDefined();
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('Open') });
    await waitFor('the callee’s policy to be deleted', async () =>
      (await policyOf(CALLEE_NS, CALLEE_POLICY)) === undefined ? true : undefined,
    );
    const left = await getJson<{ items: unknown[] }>([
      'networkpolicies',
      '-A',
      '-l',
      'oos.dev/managed-by=oos',
    ]);
    expect(left.items).toEqual([]);
  });
});
