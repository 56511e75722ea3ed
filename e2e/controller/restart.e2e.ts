import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  as,
  escalations,
  installCrds,
  isoIn,
  isOpen,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
  waitForEscalation,
  type EscalationObject,
} from './support.js';

const NS = 'ctl-restart';
const ROLES = ['ctl-restart-a', 'ctl-restart-b', 'ctl-restart-c'] as const;
const FRANK = as('ctl-restart-frank');

const setup = `
${peopleRbac('ctl-restart-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
${ROLES.map((name) => role(name, ['ctl-restart-frank'])).join('\n---\n')}
`;

/** Frank's attestation for the last role lapses while the operator is down. */
const LAPSE_MS = 20_000;

const capability = (name: string, roleName: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${NS} }
spec:
  description: ${name}
  intendedUse: Tested across operator restarts.
  accountableRole: ${roleName}
  autonomy: Advisory
  riskTier: Minimal
  delegationRequired: false
`;

const vacate = (name: string) =>
  kubectlOk(['patch', 'accountablerole', name, '--type', 'merge', '-p', '{"spec":{"holders":[]}}']);

const identity = (e: EscalationObject): string => `${e.metadata.name} ${e.metadata.uid}`;

let operator: RunningOperator;

describe('escalations across operator restarts', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    operator = await startController();
    // The lapse is counted from here, once the operator is up (it may take long on a busy machine).
    await kubectlOk(['apply', '-f', '-'], {
      stdin: role(ROLES[2], ['ctl-restart-frank']).replace(
        /attestedUntil: '[^']+'/,
        `attestedUntil: '${isoIn(LAPSE_MS)}'`,
      ),
    });
    for (const [i, roleName] of ROLES.entries()) {
      await kubectlOk(['apply', '-f', '-'], { stdin: capability(`cap-${i}`, roleName), ...FRANK });
    }
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', ...ROLES, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctl-restart-people', '--ignore-not-found']);
  });

  it('loses none and duplicates none when the operator is killed and started again', async () => {
    await vacate(ROLES[0]);
    await vacate(ROLES[1]);
    await waitForEscalation(NS, 'AccountabilityVacant', 'cap-0', isOpen);
    await waitForEscalation(NS, 'AccountabilityVacant', 'cap-1', isOpen);
    // The last role's attestation lapses soon: AttestationExpiring is open for cap-2 as well.
    await waitForEscalation(NS, 'AttestationExpiring', 'ctl-restart-c', isOpen);
    const before = (await escalations(NS)).map(identity).sort();
    expect(before).toHaveLength(3);

    await operator.kill();
    // A cause that arises while no controller runs (the attestation lapses) is found afterwards.
    operator = await startController();
    await waitFor('the new operator to lead', async () =>
      (await metric(operator, 'oos_leader')) === 1 ? true : undefined,
    );
    await waitForEscalation(NS, 'AccountabilityVacant', 'cap-2', isOpen);
    await waitForEscalation(NS, 'AttestationExpiring', 'ctl-restart-c', (e) => !isOpen(e));
    await waitFor('the controller to have planned with every escalation', async () =>
      (await metric(operator, 'oos_escalations_open', { trigger: 'AccountabilityVacant' })) === 3
        ? true
        : undefined,
    );
    const after = await escalations(NS);
    expect(
      after
        .map(identity)
        .filter((id) => before.includes(id))
        .sort(),
    ).toEqual(before);
    expect(after).toHaveLength(4);
    const open = after.filter(isOpen).map((e) => `${e.spec.trigger} ${e.spec.subject.name}`);
    expect(open.sort()).toEqual([
      'AccountabilityVacant cap-0',
      'AccountabilityVacant cap-1',
      'AccountabilityVacant cap-2',
    ]);
  });

  it('hands the lease over at once on a graceful stop', async () => {
    await operator.stop();
    operator = await startController();
    await waitFor(
      'the next operator to lead without waiting for the lease to expire',
      async () => ((await metric(operator, 'oos_leader')) === 1 ? true : undefined),
      { timeoutMs: 8_000 },
    );
    expect(await escalations(NS)).toHaveLength(4);
  });
});
