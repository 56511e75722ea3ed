import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  conditionOf,
  escalations,
  installCrds,
  isOpen,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startAlertmanager,
  startController,
  startWebhook,
  waitForEscalation,
  waitForEvent,
  type Condition,
  type RecordingWebhook,
  type RunningAlertmanager,
} from './support.js';

const NS = 'ctl-dlg';
const ROLE = 'ctl-dlg-owner';
const ALICE = as('ctl-dlg-alice');
const LEAD_SECONDS = 8;
const VALID_SECONDS = 25;

const setup = `
${peopleRbac('ctl-dlg-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: scorer, namespace: ${NS} }
---
${role(ROLE, ['ctl-dlg-alice'])}
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: default, namespace: ${NS} }
spec:
  triggers:
    - { type: DelegationExpiring, severity: Warning, leadTime: ${LEAD_SECONDS}s }
    - { type: DelegationExpired, severity: Critical }
  levels:
    - { after: 0s, notifyAccountableRole: true }
`;

const capability = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: scoring, namespace: ${NS} }
spec:
  description: Scores card transactions.
  intendedUse: Holds suspicious transactions for an analyst.
  accountableRole: ${ROLE}
  autonomy: Supervised
  riskTier: High
`;

const delegation = (name: string, validUntil: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${name}, namespace: ${NS} }
spec:
  capability: scoring
  serviceAccount: scorer
  validUntil: '${validUntil}'
  justification: The scorer runs as this ServiceAccount.
`;

let operator: RunningOperator;
let alertmanager: RunningAlertmanager;
let webhook: RecordingWebhook;
let validUntil: string;

describe('delegations that run out', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    alertmanager = await startAlertmanager();
    webhook = await startWebhook();
    operator = await startController([
      '--alertmanager-url',
      alertmanager.url,
      '--escalation-webhook-url',
      webhook.url,
    ]);
    await kubectlOk(['apply', '-f', '-'], { stdin: capability, ...ALICE });
    validUntil = new Date(Math.ceil((Date.now() + VALID_SECONDS * 1000) / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    await kubectlOk(['apply', '-f', '-'], {
      stdin: delegation('scoring-scorer', validUntil),
      ...ALICE,
    });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await alertmanager.stop();
    await webhook.stop();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', ROLE, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-dlg-people', '--ignore-not-found']);
  });

  it('shows the delegation Active, then raises DelegationExpiring at validUntil minus the lead time', async () => {
    await waitFor('the delegation status', async () => {
      const d = await getJson<{ status?: { state?: string } }>([
        'delegation',
        'scoring-scorer',
        '-n',
        NS,
      ]);
      return d.status?.state === 'Active' ? true : undefined;
    });
    // Opened (created), then its first level written to status: wait for both.
    const expiring = await waitForEscalation(
      NS,
      'DelegationExpiring',
      'scoring-scorer',
      (e) => isOpen(e) && e.status?.level !== undefined,
    );
    expect(Date.parse(expiring.metadata.creationTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(validUntil) - LEAD_SECONDS * 1000 - 1000,
    );
    expect(expiring.spec).toMatchObject({
      severity: 'Warning',
      capability: 'scoring',
      accountableRole: ROLE,
    });
    expect(expiring.status?.level).toBe(1);
    expect(expiring.status?.notifiedRoles).toEqual([ROLE]);
    await waitForEvent(NS, 'EscalationOpened', 'Delegation', 'scoring-scorer');
    await waitFor('the Delegation to show Expiring', async () => {
      const d = await getJson<{ status?: { conditions?: Condition[] } }>([
        'delegation',
        'scoring-scorer',
        '-n',
        NS,
      ]);
      return conditionOf(d, 'Expiring')?.status === 'True' ? true : undefined;
    });
  });

  it('raises DelegationExpired at validUntil, resolves DelegationExpiring, with events and metrics', async () => {
    const expired = await waitForEscalation(
      NS,
      'DelegationExpired',
      'scoring-scorer',
      isOpen,
      40_000,
    );
    expect(Date.parse(expired.metadata.creationTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(validUntil),
    );
    expect(expired.spec.severity).toBe('Critical');
    expect(expired.spec.summary).toContain('expired at');
    await waitFor('the Delegation to show Expired', async () => {
      const d = await getJson<{ status?: { state?: string } }>([
        'delegation',
        'scoring-scorer',
        '-n',
        NS,
      ]);
      return d.status?.state === 'Expired' ? true : undefined;
    });
    await waitForEscalation(NS, 'DelegationExpiring', 'scoring-scorer', (e) => !isOpen(e));
    await waitForEvent(
      NS,
      'EscalationResolved',
      'Escalation',
      (await escalations(NS)).find((e) => e.spec.trigger === 'DelegationExpiring')?.metadata.name ??
        '',
    );
    await waitForEvent(NS, 'EscalationOpened', 'Escalation', expired.metadata.name);
    await waitFor('the open escalation in the metrics', async () =>
      (await metric(operator, 'oos_escalations_open', {
        trigger: 'DelegationExpired',
        severity: 'Critical',
        level: '1',
      })) === 1
        ? true
        : undefined,
    );
    expect(await metric(operator, 'oos_escalations_total', { trigger: 'DelegationExpired' })).toBe(
      1,
    );
    expect(await metric(operator, 'oos_delegations', { state: 'Expired' })).toBe(1);
    expect(await metric(operator, 'oos_leader')).toBe(1);
  });

  it('sends the escalation to a real Alertmanager with its labels', async () => {
    const alert = await waitFor('the DelegationExpired alert in Alertmanager', async () =>
      (await alertmanager.alerts()).find((a) => a.labels.trigger === 'DelegationExpired'),
    );
    expect(alert.labels).toMatchObject({
      alertname: 'OOSEscalation',
      namespace: NS,
      capability: 'scoring',
      role: ROLE,
      severity: 'critical',
      level: '1',
      subject_kind: 'Delegation',
      subject: 'scoring-scorer',
    });
    expect(alert.annotations.summary).toContain('expired at');
  });

  it('is resolved by a new Delegation (validUntil cannot be extended), and tells every receiver', async () => {
    const extend = await kubectl(
      [
        'patch',
        'delegation',
        'scoring-scorer',
        '-n',
        NS,
        '--type',
        'merge',
        '-p',
        `{"spec":{"validUntil":"${new Date(Date.now() + 3_600_000).toISOString()}"}}`,
      ],
      ALICE,
    );
    expect(extend.code).not.toBe(0);
    await kubectlOk(['apply', '-f', '-'], {
      stdin: delegation('scoring-scorer-renewed', new Date(Date.now() + 86_400_000).toISOString()),
      ...ALICE,
    });
    const resolved = await waitForEscalation(
      NS,
      'DelegationExpired',
      'scoring-scorer',
      (e) => !isOpen(e),
    );
    expect(conditionOf(resolved, 'Resolved')).toMatchObject({
      status: 'True',
      reason: 'CauseGone',
    });
    await waitForEvent(NS, 'EscalationResolved', 'Escalation', resolved.metadata.name);
    expect((await escalations(NS)).filter(isOpen)).toEqual([]);
    await waitFor('the alert to end in Alertmanager', async () =>
      (await alertmanager.alerts()).some((a) => a.labels.trigger === 'DelegationExpired')
        ? undefined
        : true,
    );
    await waitFor('the webhook to receive the resolution', () =>
      Promise.resolve(
        webhook.received.some(
          (n) =>
            n.event === 'resolved' &&
            (n.escalation as { trigger: string }).trigger === 'DelegationExpired',
        )
          ? true
          : undefined,
      ),
    );
    const opened = webhook.received.find(
      (n) =>
        n.event === 'opened' &&
        (n.escalation as { trigger: string }).trigger === 'DelegationExpired',
    );
    expect(opened).toMatchObject({
      version: 'oos.dev/v1alpha1',
      notify: [
        { role: ROLE, holders: [{ user: 'ctl-dlg-alice', email: 'ctl-dlg-alice@example.com' }] },
      ],
    });
  });
});
