import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemptionSchema } from '../../api/index.js';
import { exemptionDigest } from '../../engine/exemption-digest.js';
import { adminBinding, installCrds, isoIn, removeWebhooks } from '../support/cluster.js';
import { getJson, kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { OPERATOR_NAMESPACE, startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

// Threat model §3 (authority from the stored object), §4 (exemptions), §5 (stopAction), §6
// (appointed accountability) and §7 (who is a machine). Everyone below acts through impersonation
// and is bound to cluster-admin, so every refusal comes from oos, never from RBAC.
const PEOPLE = 'auth-adv-people';
const BOARD = 'auth-adv-board';
const NS = 'auth-adv';
const OWNER = 'auth-adv-owner';
const MALLORY_ROLE = 'auth-adv-mallory-role';

const ALICE = { as: 'auth-alice', groups: [PEOPLE] }; // holds OWNER
const MALLORY = { as: 'auth-mallory', groups: [PEOPLE] }; // holds MALLORY_ROLE only
const GINA = { as: 'auth-gina', groups: [PEOPLE, BOARD] }; // a governance admin
const BOT = { as: `system:serviceaccount:${NS}:bot` };
const NODE_ROBOT = { as: 'auth-robot', groups: [PEOPLE, 'system:nodes'] };
const SA_GROUP_ROBOT = { as: 'auth-robot-2', groups: [PEOPLE, 'system:serviceaccounts'] };
const OIDC_BOT = { as: 'auth-oidc-bot', groups: [PEOPLE] }; // named in machineIdentities

const inDays = (days: number): string => isoIn(days * 86_400_000);
const person = (user: string) =>
  `{ name: ${user} Person, email: ${user}@example.com, user: ${user}, attestedUntil: '${inDays(365)}' }`;

const setup = `
${adminBinding('auth-adv-people-admin', PEOPLE, [`${NS}:bot`])}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: llm, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${OWNER} }
spec:
  title: Chat Owner
  responsibilities: [Risk]
  holders:
    - ${person('auth-alice')}
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${MALLORY_ROLE} }
spec:
  title: Something else
  responsibilities: [Risk]
  holders:
    - ${person('auth-mallory')}
`;

const policy = `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Enforce
  governanceAdmins: { groups: [${BOARD}] }
  machineIdentities: { users: [auth-oidc-bot], groups: [auth-oidc-robots] }
  maxExemption: 7d
`;

const capability = `
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
`;

const escalation = (name: string) => `
apiVersion: oos.dev/v1alpha1
kind: Escalation
metadata: { name: ${name}, namespace: ${NS} }
spec:
  trigger: DelegationExpired
  severity: Critical
  subject: { apiVersion: oos.dev/v1alpha1, kind: Delegation, name: chat-llm, namespace: ${NS} }
  capability: chat
  accountableRole: ${OWNER}
  summary: The delegation of chat to llm expired; renew it.
`;

const exemption = (name: string, namespace: string, scope: string, extra = '', days = 2) => `
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  capability: chat
  scope: ${scope}
  justification: Benchmark one Job.
  expiresAt: '${inDays(days)}'${extra}
`;

const delegation = (name: string) => `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${name}, namespace: ${NS} }
spec:
  capability: chat
  serviceAccount: llm
  validUntil: '${inDays(5)}'
  justification: Runs the chat Deployment.
`;

const unanchored = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { app: ${name} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: vllm, image: vllm/vllm-openai:v0.6.3 }]
`;

/** Approved Exemptions that got in while no webhook ran: forged stamps, no or a bound digest. */
const PRE_SCOPE = { namespace: NS, names: ['pre'] };
const preContent = {
  capability: 'chat',
  scope: PRE_SCOPE,
  justification: 'Benchmark one Job.',
  expiresAt: inDays(2),
};
const preWebhook = [
  { name: 'auth-pre-forged', requestedBy: 'auth-mallory', approvedBy: 'auth-alice' },
  {
    name: 'auth-pre-machine',
    requestedBy: 'auth-mallory',
    approvedBy: 'system:kube-scheduler',
    approvedDigest: exemptionDigest(preContent),
  },
]
  .map(
    ({ name, ...stamps }) => `
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: ${name}, namespace: ${OPERATOR_NAMESPACE} }
spec: ${JSON.stringify({ ...preContent, ...stamps, approved: true })}
`,
  )
  .join('---');

function refused(result: KubectlResult, ...expected: string[]): void {
  expect(result.code, result.stdout).not.toBe(0);
  for (const text of expected) expect(result.stderr).toContain(text);
}

const apply = (stdin: string, who: object = {}) => kubectl(['apply', '-f', '-'], { stdin, ...who });
const patch = (target: string[], body: unknown, who: object = {}) =>
  kubectl(['patch', ...target, '--type=merge', '-p', JSON.stringify(body)], who);

/** What the approver sees and reviews: the digest of the Exemption's content as stored now. */
async function reviewedDigest(name: string, namespace: string): Promise<string> {
  const stored = exemptionSchema.parse(await getJson(['exemption', name, '-n', namespace]));
  return exemptionDigest(stored.spec);
}

let operator: RunningOperator;

describe('adversary: authority', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['apply', '-f', '-'], { stdin: policy });
    // Before the webhooks exist (as if they were down): Exemptions only the CRD's rules judge.
    await kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
    await kubectlOk(['apply', '-f', '-'], { stdin: preWebhook });
    operator = await startOperator();
    await kubectlOk(['apply', '-f', '-'], { stdin: capability, ...ALICE });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'exemption', '--all', '-n', OPERATOR_NAMESPACE]);
    await kubectl([
      'delete',
      'accountablerole',
      OWNER,
      MALLORY_ROLE,
      'auth-adv-new',
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'auth-adv-people-admin', '--ignore-not-found']);
  });

  describe('§3 authority is decided from the stored Escalation', () => {
    it('refuses rewriting accountableRole to one’s own role and acknowledging in one request', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: escalation('auth-esc-one') });
      const target = ['escalation', 'auth-esc-one', '-n', NS];
      refused(
        await patch(
          target,
          { spec: { accountableRole: MALLORY_ROLE, acknowledged: true } },
          MALLORY,
        ),
        'accountableRole and policy are immutable',
      );
      const replaced = (await getJson<{ spec: Record<string, unknown> }>(target)).spec;
      expect(replaced).toMatchObject({ accountableRole: OWNER, acknowledged: false });
    });

    it('refuses it in two requests, by apply, and by removing the role to fall back', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: escalation('auth-esc-two') });
      const target = ['escalation', 'auth-esc-two', '-n', NS];
      refused(
        await patch(target, { spec: { accountableRole: MALLORY_ROLE } }, MALLORY),
        'immutable',
      );
      refused(await patch(target, { spec: { accountableRole: null } }, MALLORY), 'immutable');
      refused(await patch(target, { spec: { capability: 'other' } }, MALLORY), 'immutable');
      refused(
        await apply(
          escalation('auth-esc-two').replace(
            `accountableRole: ${OWNER}`,
            `accountableRole: ${MALLORY_ROLE}`,
          ),
          MALLORY,
        ),
        'immutable',
      );
      refused(await patch(target, { spec: { acknowledged: true } }, MALLORY), 'NotRoleHolder');
      await kubectlOk(
        ['patch', ...target, '--type=merge', '-p', '{"spec":{"acknowledged":true}}'],
        ALICE,
      );
      const stored = (await getJson<{ spec: Record<string, unknown> }>(target)).spec;
      expect(stored).toMatchObject({ accountableRole: OWNER, acknowledgedBy: 'auth-alice' });
    });
  });

  describe('§3/§10 an Escalation is the controller’s record', () => {
    it('refuses opening one to anyone but the operator: a squatter would choose its severity', async () => {
      // The name and labels the controller would use for a cause it is about to open.
      const squat = escalation('auth-esc-squat')
        .replace('severity: Critical', 'severity: Info')
        .replace(
          `metadata: { name: auth-esc-squat, namespace: ${NS} }`,
          `metadata:\n  name: auth-esc-squat\n  namespace: ${NS}\n  labels: { app.kubernetes.io/managed-by: oos, oos.dev/escalation-key: k, oos.dev/escalation-episode: '1' }`,
        );
      for (const who of [MALLORY, GINA, BOT, ALICE])
        refused(await apply(squat, who), 'RecordNotOwned');
      expect((await kubectl(['get', 'escalation', 'auth-esc-squat', '-n', NS])).code).not.toBe(0);
    });

    it('refuses downgrading, rewording or untying an open one, and withdrawing an acknowledgement', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: escalation('auth-esc-record') });
      const target = ['escalation', 'auth-esc-record', '-n', NS];
      refused(await patch(target, { spec: { severity: 'Info' } }, MALLORY), 'RecordNotOwned');
      refused(await patch(target, { spec: { summary: 'Nothing.' } }, GINA), 'RecordNotOwned');
      refused(
        await patch(target, { metadata: { labels: { 'oos.dev/escalation-key': 'x' } } }, BOT),
        'RecordNotOwned',
      );
      await kubectlOk(
        [
          ...['patch', ...target, '--type=merge'],
          ...['-p', '{"spec":{"acknowledged":true,"acknowledgementNote":"On it."}}'],
        ],
        ALICE,
      );
      refused(
        await patch(target, { spec: { acknowledgementNote: 'Never mind.' } }, ALICE),
        'RecordNotOwned',
      );
      refused(await patch(target, { spec: { acknowledged: false } }, ALICE));
      const stored = (await getJson<{ spec: Record<string, unknown> }>(target)).spec;
      expect(stored).toMatchObject({
        severity: 'Critical',
        acknowledged: true,
        acknowledgedBy: 'auth-alice',
        acknowledgementNote: 'On it.',
      });
    });
  });

  describe('§4 exemptions are no back door', () => {
    const CENTRAL = `{ namespace: ${NS}, names: [bench] }`;

    it('refuses a forged approvedBy or requestedBy in the operator’s namespace, and it never takes effect', async () => {
      refused(
        await apply(
          exemption(
            'auth-forged',
            OPERATOR_NAMESPACE,
            CENTRAL,
            '\n  approved: true\n  approvedBy: auth-alice',
          ),
          MALLORY,
        ),
        'SelfApproval',
      );
      refused(
        await apply(
          exemption('auth-forged', OPERATOR_NAMESPACE, CENTRAL, '\n  requestedBy: auth-alice'),
          MALLORY,
        ),
        'StampForged',
      );
      await kubectlOk(['apply', '-f', '-'], {
        stdin: exemption('auth-forged', OPERATOR_NAMESPACE, CENTRAL),
        ...MALLORY,
      });
      const target = ['exemption', 'auth-forged', '-n', OPERATOR_NAMESPACE];
      const digest = await reviewedDigest('auth-forged', OPERATOR_NAMESPACE);
      refused(
        await patch(
          target,
          { spec: { approved: true, approvedBy: 'auth-alice', approvedDigest: digest } },
          MALLORY,
        ),
        'denied the request',
      );
      refused(
        await patch(target, { spec: { approvedBy: 'auth-alice' } }, MALLORY),
        'approvedBy is only set on an approved exemption',
      );
      expect((await getJson<{ spec: { approved: boolean } }>(target)).spec.approved).toBe(false);
      // No effect: the namespace it names still refuses an unanchored AI workload.
      refused(await apply(unanchored('bench'), MALLORY), 'AnchorMissing');
    });

    it('never honours an approved Exemption that got in without the webhook', async () => {
      refused(await apply(unanchored('pre'), MALLORY), 'AnchorMissing');
      for (const name of ['auth-pre-forged', 'auth-pre-machine']) {
        const message = await waitFor(`the status of ${name}`, async () => {
          const stored = await getJson<{
            status?: { state?: string; conditions?: { message?: string }[] };
          }>(['exemption', name, '-n', OPERATOR_NAMESPACE]);
          return stored.status?.conditions?.[0]?.message;
        });
        expect(message).toContain('the approval does not count');
      }
    });

    it('refuses self-approval wherever the Exemption lives', async () => {
      for (const namespace of [OPERATOR_NAMESPACE, NS]) {
        const scope = namespace === NS ? '{ names: [bench] }' : CENTRAL;
        await kubectlOk(['apply', '-f', '-'], {
          stdin: exemption('auth-self', namespace, scope),
          ...MALLORY,
        });
        const digest = await reviewedDigest('auth-self', namespace);
        refused(
          await patch(
            ['exemption', 'auth-self', '-n', namespace],
            { spec: { approved: true, approvedDigest: digest } },
            MALLORY,
          ),
          'SelfApproval',
        );
      }
    });

    it('applies maxExemption in the operator’s namespace', async () => {
      refused(
        await apply(exemption('auth-long', OPERATOR_NAMESPACE, CENTRAL, '', 20), MALLORY),
        'ExemptionTooLong',
      );
    });

    it('refuses a selector that selects everything', async () => {
      for (const scope of [
        '{ selector: {} }',
        '{ selector: { matchExpressions: [] } }',
        '{ kinds: [], selector: { matchLabels: {} } }',
      ]) {
        refused(
          await apply(exemption('auth-wide', NS, scope), MALLORY),
          'an exemption must be narrow',
        );
      }
      refused(
        await apply(
          exemption('auth-wide', OPERATOR_NAMESPACE, `{ namespace: ${NS}, selector: {} }`),
          MALLORY,
        ),
        'an exemption must be narrow',
      );
    });

    it('binds the approval to what the approver reviewed: a scope widened meanwhile voids it', async () => {
      const target = ['exemption', 'auth-bench', '-n', NS];
      await kubectlOk(['apply', '-f', '-'], {
        stdin: exemption('auth-bench', NS, '{ names: [bench] }'),
        ...MALLORY,
      });
      const reviewed = await reviewedDigest('auth-bench', NS); // Alice looks: one Job named bench.
      // Mallory widens the scope just before Alice approves.
      await kubectlOk(
        [
          'patch',
          ...target,
          '--type=merge',
          '-p',
          JSON.stringify({
            spec: { scope: { names: null, kinds: [{ group: 'apps', kind: 'Deployment' }] } },
          }),
        ],
        MALLORY,
      );
      const late = await patch(
        target,
        { spec: { approved: true, approvedDigest: reviewed } },
        ALICE,
      );
      refused(late, 'ApprovalNotBound', 'the content changed');
      // A blind approval (no digest) is refused too, and tells what is stored now.
      refused(
        await patch(target, { spec: { approved: true } }, ALICE),
        'ApprovalNotBound',
        'kinds [{"group":"apps","kind":"Deployment"}]',
      );
      expect((await getJson<{ spec: { approved: boolean } }>(target)).spec.approved).toBe(false);
      refused(await apply(unanchored('wide'), MALLORY), 'AnchorMissing');

      // Delete and recreate wider under the same name: the digest Alice took still does not match.
      await kubectlOk(['delete', ...target], MALLORY);
      await kubectlOk(['apply', '-f', '-'], {
        stdin: exemption('auth-bench', NS, '{ names: [bench] }'),
        ...MALLORY,
      });
      const narrow = await reviewedDigest('auth-bench', NS);
      await kubectlOk(['delete', ...target], MALLORY);
      await kubectlOk(['apply', '-f', '-'], {
        stdin: exemption('auth-bench', NS, '{ names: [bench, wide] }'),
        ...MALLORY,
      });
      refused(
        await patch(target, { spec: { approved: true, approvedDigest: narrow } }, ALICE),
        'ApprovalNotBound',
      );

      // What Alice reviewed, she approves; then it cannot change.
      const current = await reviewedDigest('auth-bench', NS);
      await kubectlOk(
        [
          'patch',
          ...target,
          '--type=merge',
          '-p',
          JSON.stringify({ spec: { approved: true, approvedDigest: current } }),
        ],
        ALICE,
      );
      expect((await getJson<{ spec: Record<string, unknown> }>(target)).spec).toMatchObject({
        approved: true,
        approvedBy: 'auth-alice',
        requestedBy: 'auth-mallory',
      });
      refused(
        await patch(target, { spec: { scope: { names: ['bench', 'wide', 'more'] } } }, MALLORY),
        'cannot change its scope',
      );
      refused(await patch(target, { spec: { expiresAt: inDays(1) } }, MALLORY), 'ApprovalNotBound');
    });
  });

  describe('§5 the stop button cannot be weakened', () => {
    const target = ['capability', 'chat', '-n', NS];

    it('refuses a ServiceAccount or a non-holder switching stopAction, alone or while pressing stop', async () => {
      refused(await patch(target, { spec: { stopAction: 'DenyNew' } }, BOT), 'NotHuman');
      refused(await patch(target, { spec: { stopAction: 'DenyNew' } }, MALLORY), 'NotRoleHolder');
      refused(
        await patch(target, { spec: { suspend: true, stopAction: 'DenyNew' } }, BOT),
        'NotHuman',
      );
      refused(await patch(target, { spec: { stopAction: 'DenyNew' } }, NODE_ROBOT), 'NotHuman');
      expect((await getJson<{ spec: Record<string, unknown> }>(target)).spec).toMatchObject({
        stopAction: 'ScaleToZero',
        suspend: false,
      });
    });

    it('still lets anyone press stop with the stored stopAction; a holder resumes', async () => {
      await kubectlOk(
        [
          'patch',
          ...target,
          '--type=merge',
          '-p',
          '{"spec":{"suspend":true,"suspendReason":"drill"}}',
        ],
        BOT,
      );
      expect((await getJson<{ spec: Record<string, unknown> }>(target)).spec).toMatchObject({
        suspend: true,
        stopAction: 'ScaleToZero',
        suspendedBy: BOT.as,
      });
      await kubectlOk(
        ['patch', ...target, '--type=merge', '-p', '{"spec":{"suspend":false}}'],
        ALICE,
      );
    });
  });

  describe('§6 the operating model is not deleted from under the people', () => {
    it('refuses deleting the GovernancePolicy or a role to anyone but a governance admin', async () => {
      for (const target of [
        ['governancepolicy', 'default'],
        ['accountablerole', OWNER],
      ]) {
        for (const who of [MALLORY, ALICE, BOT, NODE_ROBOT]) {
          refused(await kubectl(['delete', ...target], who), 'NotGovernanceAdmin');
        }
        // A governance admin may (a server-side dry run: the object stays for the other tests).
        await kubectlOk(['delete', ...target, '--dry-run=server'], GINA);
        expect((await kubectl(['get', ...target])).code).toBe(0);
      }
    });
  });

  describe('§6 accountability is appointed, not self-assigned', () => {
    it('refuses a person adding themselves as a holder, even a governance admin', async () => {
      const role = ['accountablerole', OWNER];
      const withSelf = (user: string) => ({
        spec: {
          holders: [
            {
              name: 'Alice',
              email: 'auth-alice@example.com',
              user: 'auth-alice',
              attestedUntil: inDays(365),
            },
            { name: user, email: `${user}@example.com`, user, attestedUntil: inDays(365) },
          ],
        },
      });
      refused(await patch(role, withSelf('auth-mallory'), MALLORY), 'NotGovernanceAdmin');
      refused(await patch(role, withSelf('auth-gina'), GINA), 'SelfAppointment');
      refused(await patch(role, withSelf('auth-robot'), NODE_ROBOT), 'NotGovernanceAdmin');
      refused(
        await apply(
          `
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: auth-adv-new }
spec:
  title: Mine
  responsibilities: [Risk]
  holders:
    - ${person('auth-mallory')}
`,
          MALLORY,
        ),
        'NotGovernanceAdmin',
      );
      // A governance admin appoints someone else.
      await kubectlOk(
        ['patch', ...role, '--type=merge', '-p', JSON.stringify(withSelf('auth-bob'))],
        GINA,
      );
    });

    it('refuses a non-admin changing the GovernancePolicy', async () => {
      const target = ['governancepolicy', 'default'];
      for (const who of [MALLORY, BOT, OIDC_BOT]) {
        refused(await patch(target, { spec: { enforcement: 'Audit' } }, who), 'NotGovernanceAdmin');
        refused(
          await patch(target, { spec: { governanceAdmins: { users: ['auth-mallory'] } } }, who),
          'denied the request',
        );
        refused(
          await patch(target, { spec: { trustedAppliers: { users: [who.as] } } }, who),
          'NotGovernanceAdmin',
        );
        refused(
          await patch(target, { spec: { machineIdentities: null } }, who),
          'NotGovernanceAdmin',
        );
      }
      // The cluster's bootstrap admin is no governance admin once the policy names its own.
      refused(await patch(target, { spec: { enforcement: 'Audit' } }), 'NotGovernanceAdmin');
      expect((await getJson<{ spec: { enforcement: string } }>(target)).spec.enforcement).toBe(
        'Enforce',
      );
      await kubectlOk(
        ['patch', ...target, '--type=merge', '-p', '{"spec":{"maxDelegation":"60d"}}'],
        GINA,
      );
    });
  });

  describe('§7 who is a machine', () => {
    it.each([
      ['a user in group system:nodes', NODE_ROBOT],
      ['a user in group system:serviceaccounts', SA_GROUP_ROBOT],
      ['an OIDC bot the policy names', OIDC_BOT],
    ])('treats %s as a machine: it cannot grant a Delegation or approve', async (_, who) => {
      const name = `auth-grant-${who.as.replace(/[^a-z0-9]/g, '')}`;
      // Even made a holder of the role, a machine does not become a person.
      refused(await apply(delegation(name), who), 'NotHuman');
      const exm = `auth-exm-${who.as.replace(/[^a-z0-9]/g, '')}`;
      await kubectlOk(['apply', '-f', '-'], {
        stdin: exemption(exm, NS, '{ names: [bench] }'),
        ...MALLORY,
      });
      const digest = await reviewedDigest(exm, NS);
      refused(
        await patch(
          ['exemption', exm, '-n', NS],
          { spec: { approved: true, approvedDigest: digest } },
          who,
        ),
        'NotHuman',
      );
      refused(
        await patch(
          ['escalation', 'auth-esc-one', '-n', NS],
          { spec: { acknowledged: true } },
          who,
        ),
        'NotHuman',
      );
      refused(await apply(exemption(`${exm}-own`, NS, '{ names: [bench] }'), who), 'NotHuman');
    });

    it('never makes a machine a role holder', async () => {
      const robotHolder = {
        spec: {
          holders: [
            {
              name: 'Bot',
              email: 'bot@example.com',
              user: 'auth-oidc-bot',
              attestedUntil: inDays(365),
            },
          ],
        },
      };
      refused(await patch(['accountablerole', MALLORY_ROLE], robotHolder, GINA), 'HolderNotHuman');
    });
  });
});
