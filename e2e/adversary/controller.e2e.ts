/**
 * Adversary: the controller and its cache trust only what oos wrote (threat model §3) and exempt
 * is not invisible (§11).
 *
 * The forged status writes below are made by the ADMIN kubeconfig user (`oos-admin`), which is
 * also the user the operator runs as in these tests, so its requests skip admission: they model
 * a write that got past admission (a webhook outage, an object restored from backup, a write made
 * before the rule). Admission refusing status writes by anyone but the operator is tested
 * elsewhere; here the controller must hold on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  conditionOf,
  escalations,
  events,
  installCrds,
  isOpen,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
  waitForEscalation,
  type Condition,
  type EscalationObject,
} from '../controller/support.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

const NS = 'ctladv';
const EXEMPT_NS = 'ctladv-exempt';
const OWNER = 'ctladv-owner';
const VACANT = 'ctladv-vacant';
const BOB = as('ctladv-bob');
const CAROL = as('ctladv-carol');
const LOWERCASE = '2020-01-01t00:00:00z';

const setup = `
${peopleRbac('ctladv-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${EXEMPT_NS} }
---
${role(OWNER, ['ctladv-bob'])}
---
${role(VACANT, ['ctladv-carol'])}
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: default, namespace: ${NS} }
spec:
  triggers: [{ type: AccountabilityVacant, severity: Critical }]
  levels:
    - { after: 0s, notifyAccountableRole: true }
    - { after: 1h, roles: [${OWNER}] }
`;

/** The policy in force: Enforce, and one namespace of ours exempt, so its presence is visible. */
const policy = `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Enforce
  exemptNamespaces: [kube-system, kube-public, kube-node-lease, ${EXEMPT_NS}]
`;

const capability = (name: string, accountableRole: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${NS} }
spec:
  description: Drafts answers that a support agent reviews.
  intendedUse: Agents review every draft before sending it.
  accountableRole: ${accountableRole}
  autonomy: Advisory
  riskTier: Limited
  delegationRequired: false
`;

const aiPod = (name: string, namespace: string, capabilityName?: string): string => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app: ${name}${capabilityName === undefined ? '' : `, oos.dev/capability: ${capabilityName}`} }
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:v0.6.3
      args: [--model, mistralai/Mistral-7B-Instruct-v0.3]
`;

interface Stored {
  metadata: { uid: string; resourceVersion: string };
  status?: {
    vacant?: boolean;
    currentHolders?: number;
    conditions?: Condition[];
  };
}

/** Writes `status` as the admin (past admission), with the given patch type. */
async function forgeStatus(
  resource: string,
  name: string,
  namespace: string | undefined,
  status: Record<string, unknown>,
  type: 'merge' | 'json' = 'merge',
): Promise<void> {
  const patch =
    type === 'merge'
      ? JSON.stringify({ status })
      : JSON.stringify([{ op: 'replace', path: '/status', value: status }]);
  await kubectlOk([
    'patch',
    resource,
    name,
    ...(namespace === undefined ? [] : ['-n', namespace]),
    '--subresource=status',
    `--type=${type}`,
    '-p',
    patch,
  ]);
}

const forgedReady = (status: 'True' | 'False', reason: string): Condition => ({
  type: 'Ready',
  status,
  reason,
  message: 'forged',
  lastTransitionTime: LOWERCASE,
});

function repairedEvent(namespace: string, kind: string, name: string) {
  return waitFor(`a StatusRepaired event about ${kind} ${name}`, async () =>
    (await events(namespace)).find(
      (e) =>
        e.reason === 'StatusRepaired' &&
        e.regarding.kind === kind &&
        e.regarding.name === name &&
        e.type === 'Warning',
    ),
  );
}

function repairs(operator: RunningOperator, kind: string): Promise<number> {
  return waitFor(`oos_status_repairs_total{kind="${kind}"}`, async () => {
    const value = await metric(operator, 'oos_status_repairs_total', { kind });
    return value !== undefined && value >= 1 ? value : undefined;
  });
}

let operator: RunningOperator;

describe('adversary: the controller trusts only the status it wrote; exempt is not invisible', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy });
    operator = await startController(['--audit-interval', '5s']);
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('drafts', OWNER), ...BOB });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'pod', 'ctladv-vllm', '-n', 'kube-system', '--ignore-not-found']);
    await kubectl([
      'delete',
      'escalations',
      '-n',
      'kube-system',
      '--field-selector',
      'spec.trigger=ExemptAIWorkload',
    ]);
    for (const ns of [NS, EXEMPT_NS]) await kubectl(['delete', 'namespace', ns, '--wait=false']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'accountablerole', OWNER, VACANT, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ctladv-people', '--ignore-not-found']);
  });

  it('a lowercase-date status on the GovernancePolicy never makes it vanish, and is repaired', async () => {
    await waitFor('the controller to write the policy status', async () => {
      const p = await getJson<Stored>(['governancepolicy', 'default']);
      return conditionOf(p, 'Ready')?.reason === 'InForce' ? true : undefined;
    });
    // The apiserver accepts lowercase `t` and `z` (format date-time).
    await forgeStatus('governancepolicy', 'default', undefined, {
      conditions: [forgedReady('False', 'Forged')],
    });
    // The policy still applies: Enforce refuses an unanchored AI Pod...
    const refused = await kubectl(['apply', '-f', '-'], {
      stdin: aiPod('ctladv-loose', NS),
      ...BOB,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('AnchorMissing');
    // ...and its own exempt namespace (not in the built-in defaults) still admits one.
    await kubectlOk(['apply', '-f', '-'], {
      stdin: aiPod('ctladv-exempt-vllm', EXEMPT_NS),
      ...BOB,
    });
    await waitFor('the policy status to be repaired', async () => {
      const p = await getJson<Stored>(['governancepolicy', 'default']);
      const ready = conditionOf(p, 'Ready');
      return ready?.reason === 'InForce' && ready.lastTransitionTime !== LOWERCASE
        ? ready
        : undefined;
    });
    const event = await repairedEvent('default', 'GovernancePolicy', 'default');
    expect(event.note).toContain('status.conditions[0].lastTransitionTime');
    expect(await repairs(operator, 'GovernancePolicy')).toBeGreaterThanOrEqual(1);
    expect(await metric(operator, 'oos_governance_invalid_objects')).toBeUndefined();
  });

  it('a forged vacant status on an AccountableRole never makes it vacant, and is repaired', async () => {
    await waitFor('the controller to write the role status', async () => {
      const r = await getJson<Stored>(['accountablerole', OWNER]);
      return r.status?.vacant === false ? true : undefined;
    });
    for (const type of ['merge', 'json'] as const) {
      await forgeStatus(
        'accountablerole',
        OWNER,
        undefined,
        {
          vacant: true,
          currentHolders: 0,
          conditions: [forgedReady('False', 'AccountabilityVacant')],
        },
        type,
      );
      // The role is not vacant: an anchored workload is still admitted.
      await kubectlOk(['apply', '-f', '-'], {
        stdin: aiPod(`ctladv-anchored-${type}`, NS, 'drafts'),
        ...BOB,
      });
      await waitFor(`the role status to be repaired (${type} patch)`, async () => {
        const r = await getJson<Stored>(['accountablerole', OWNER]);
        const ready = conditionOf(r, 'Ready');
        return r.status?.vacant === false &&
          r.status.currentHolders === 1 &&
          ready?.status === 'True' &&
          ready.lastTransitionTime !== LOWERCASE
          ? true
          : undefined;
      });
    }
    await repairedEvent('default', 'AccountableRole', OWNER);
    expect(await repairs(operator, 'AccountableRole')).toBeGreaterThanOrEqual(1);
    expect(await metric(operator, 'oos_accountable_roles_vacant')).toBe(0);
  });

  it('a forged resolvedAt on an open Critical escalation neither deletes nor reopens it', async () => {
    // A capability whose role then loses its last holder.
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('orphan', VACANT), ...CAROL });
    await kubectlOk([
      'patch',
      'accountablerole',
      VACANT,
      '--type',
      'merge',
      '-p',
      '{"spec":{"holders":[]}}',
    ]);
    const open = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'orphan',
      (e) => isOpen(e) && e.status?.level === 1,
    );
    expect(open.spec.severity).toBe('Critical');
    const variants: Record<string, unknown>[] = [
      // Long past: its retention would have ended at once, and a new episode opened.
      {
        level: 2,
        notifiedRoles: [VACANT, 'ctladv-attacker'],
        resolvedAt: LOWERCASE,
        conditions: [
          {
            type: 'Resolved',
            status: 'True',
            reason: 'CauseGone',
            message: 'forged',
            lastTransitionTime: LOWERCASE,
          },
        ],
      },
      // Only the Resolved condition.
      {
        level: 1,
        notifiedRoles: [VACANT],
        conditions: [
          {
            type: 'Resolved',
            status: 'True',
            reason: 'CauseGone',
            message: 'forged',
            lastTransitionTime: '2020-01-01T00:00:00Z',
          },
        ],
      },
    ];
    for (const forged of variants) {
      await forgeStatus('escalation', open.metadata.name, NS, forged);
      const repaired = await waitFor('the escalation status to be repaired', async () => {
        const e = await getJson<EscalationObject>(['escalation', open.metadata.name, '-n', NS]);
        return isOpen(e) && conditionOf(e, 'Resolved')?.status === 'False' ? e : undefined;
      });
      expect(repaired.metadata.uid).toBe(open.metadata.uid);
      expect(repaired.metadata.creationTimestamp).toBe(open.metadata.creationTimestamp);
      expect(repaired.status?.level).toBe(1);
      expect(repaired.status?.notifiedRoles).toEqual([VACANT]);
    }
    // Never reopened anew: still one episode of this cause.
    const episodes = (await escalations(NS)).filter(
      (e) => e.spec.trigger === 'AccountabilityVacant' && e.spec.subject.name === 'orphan',
    );
    expect(episodes.map((e) => e.metadata.uid)).toEqual([open.metadata.uid]);
    await repairedEvent(NS, 'Escalation', open.metadata.name);
    expect(await repairs(operator, 'Escalation')).toBeGreaterThanOrEqual(1);
  });

  it('an AI Pod in kube-system is admitted but audited: a metric and an Info finding', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: aiPod('ctladv-vllm', 'kube-system'), ...BOB });
    await waitFor('the exempt workload metric', async () =>
      (await metric(operator, 'oos_exempt_ai_workloads', {
        namespace: 'kube-system',
        exempted_by: 'ExemptNamespace',
      })) === 1
        ? true
        : undefined,
    );
    expect(
      await metric(operator, 'oos_exempt_ai_workloads', {
        namespace: EXEMPT_NS,
        exempted_by: 'ExemptNamespace',
      }),
    ).toBe(1);
    const finding = await waitForEscalation(
      'kube-system',
      'ExemptAIWorkload',
      'ctladv-vllm',
      isOpen,
    );
    expect(finding.spec).toMatchObject({
      severity: 'Info',
      subject: { kind: 'Pod', name: 'ctladv-vllm', namespace: 'kube-system' },
    });
    expect(finding.spec.summary).toContain('exempt');
    await waitForEscalation(EXEMPT_NS, 'ExemptAIWorkload', 'ctladv-exempt-vllm', isOpen);
    // Removing the workload resolves the finding.
    await kubectlOk(['delete', 'pod', 'ctladv-vllm', '-n', 'kube-system'], BOB);
    await waitForEscalation('kube-system', 'ExemptAIWorkload', 'ctladv-vllm', (e) => !isOpen(e));
  });
});
