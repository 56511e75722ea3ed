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

const NS = 'ctl-vac';
const OWNER = 'ctl-vac-owner';
const CHIEF = 'ctl-vac-chief';
const BOB = as('ctl-vac-bob');
const DANA = as('ctl-vac-dana');
const MALLORY = as('ctl-vac-mallory');

const setup = `
${peopleRbac('ctl-vac-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
${role(OWNER, ['ctl-vac-bob'])}
---
${role(CHIEF, ['ctl-vac-dana'])}
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: ladder, namespace: ${NS} }
spec:
  triggers:
    - { type: AccountabilityVacant, severity: Critical }
  levels:
    - { after: 0s, notifyAccountableRole: true }
    - { after: 5s, roles: [${CHIEF}] }
`;

const capability = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: triage, namespace: ${NS} }
spec:
  description: Suggests a cost centre for supplier invoices.
  intendedUse: Clerks book every invoice themselves.
  accountableRole: ${OWNER}
  autonomy: Advisory
  riskTier: Limited
  delegationRequired: false
  escalationPolicy: ladder
`;

interface Role {
  status?: { currentHolders?: number; vacant?: boolean; conditions?: Condition[] };
}

let operator: RunningOperator;

describe('a role that falls vacant', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    operator = await startController();
    await kubectlOk(['apply', '-f', '-'], { stdin: capability, ...BOB });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', OWNER, CHIEF, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-vac-people', '--ignore-not-found']);
  });

  it('keeps the role and capability status true while a holder is current', async () => {
    const ready = await waitFor(
      'the role status to name the capability anchored to it',
      async () => {
        const r = await getJson<Role>(['accountablerole', OWNER]);
        const condition = conditionOf(r, 'Ready');
        return condition?.status === 'True' && condition.message?.includes(`${NS}/triage`)
          ? r
          : undefined;
      },
    );
    expect(ready.status).toMatchObject({ currentHolders: 1, vacant: false });
    // kubectl get shows the printer columns the status fills: Ready True, 0 workloads.
    await waitFor('the capability row', async () =>
      /triage\s+ctl-vac-owner\s+Advisory\s+Limited\s+false\s+True\s+0/.test(
        await kubectlOk(['get', 'capability', 'triage', '-n', NS]),
      )
        ? true
        : undefined,
    );
  });

  it('raises AccountabilityVacant for its capabilities when the last holder is removed', async () => {
    await kubectlOk([
      'patch',
      'accountablerole',
      OWNER,
      '--type',
      'merge',
      '-p',
      '{"spec":{"holders":[]}}',
    ]);
    // The controller creates the Escalation, then writes its status (level, roles notified):
    // a read in between finds no status yet.
    const escalation = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'triage',
      (e) => isOpen(e) && e.status?.notifiedRoles !== undefined,
    );
    expect(escalation.spec).toMatchObject({
      severity: 'Critical',
      subject: { kind: 'Capability', name: 'triage', namespace: NS },
      capability: 'triage',
      accountableRole: OWNER,
    });
    expect(escalation.status?.notifiedRoles).toContain(OWNER);
    const vacant = await waitFor('the role to show vacant', async () => {
      const r = await getJson<Role>(['accountablerole', OWNER]);
      return r.status?.vacant === true ? r : undefined;
    });
    expect(conditionOf(vacant, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'AccountabilityVacant',
    });
    await waitForEvent('default', 'AccountabilityVacant', 'AccountableRole', OWNER);
    expect(await metric(operator, 'oos_accountable_roles_vacant')).toBe(1);
  });

  it('climbs to level 2 when nobody acknowledges it within the level’s after', async () => {
    const level2 = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'triage',
      (e) => e.status?.level === 2,
      30_000,
    );
    expect(level2.status?.notifiedRoles).toEqual([OWNER, CHIEF]);
    expect(conditionOf(level2, 'Acknowledged')).toMatchObject({
      status: 'False',
      reason: 'AwaitingAcknowledgement',
    });
    await waitForEvent(NS, 'EscalationLevelRaised', 'Escalation', level2.metadata.name);
    await waitFor('level 2 in the metrics', async () =>
      (await metric(operator, 'oos_escalations_open', {
        trigger: 'AccountabilityVacant',
        level: '2',
      })) === 1
        ? true
        : undefined,
    );
  });

  it('is acknowledged with kubectl by a holder of a notified role, who is stamped as acknowledgedBy', async () => {
    const { metadata } = await waitForEscalation(NS, 'AccountabilityVacant', 'triage', isOpen);
    const patch = ['patch', 'escalation', metadata.name, '-n', NS, '--type', 'merge', '-p'];
    const refused = await kubectl([...patch, '{"spec":{"acknowledged":true}}'], MALLORY);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('denied the request');
    await kubectlOk(
      [
        ...patch,
        '{"spec":{"acknowledged":true,"acknowledgementNote":"Appointing a new owner today."}}',
      ],
      DANA,
    );
    const acknowledged = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'triage',
      (e) => conditionOf(e, 'Acknowledged')?.status === 'True',
    );
    expect(acknowledged.spec.acknowledgedBy).toBe('ctl-vac-dana');
    expect(conditionOf(acknowledged, 'Acknowledged')?.message).toContain(
      'Appointing a new owner today.',
    );
    expect(acknowledged.status?.level).toBe(2);
    await waitForEvent(NS, 'EscalationAcknowledged', 'Escalation', metadata.name);
    const table = await kubectlOk(['get', 'escalation', metadata.name, '-n', NS]);
    expect(table).toMatch(/AccountabilityVacant\s+triage\s+Critical\s+2\s+ctl-vac-dana\s+False/);
  });

  it('resolves when a holder is added again', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: role(OWNER, ['ctl-vac-erin']) });
    const resolved = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'triage',
      (e) => !isOpen(e),
    );
    expect(conditionOf(resolved, 'Resolved')).toMatchObject({
      status: 'True',
      reason: 'CauseGone',
    });
    expect(conditionOf(resolved, 'Ready')?.status).toBe('True');
    const table = await kubectlOk(['get', 'escalation', resolved.metadata.name, '-n', NS]);
    expect(table).toMatch(/ctl-vac-dana\s+True/);
  });
});
