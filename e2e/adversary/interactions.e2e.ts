import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHART, Helm } from '../../charts/oos/testing/chart.js';
import { adminBinding, installCrds, isoIn, removeWebhooks } from '../support/cluster.js';
import { getJson, kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

// Threat model §14 (the coordination layer): who may declare an interaction, the GovernancePolicy's
// forbidden edges and endpoint catalogue, status.interactions, and NetworkPolicies that would open
// a Closed capability. Every attacker is bound to cluster-admin, so each refusal comes from oos.
// The operator runs as the admin user: its own writes (here the managed NetworkPolicy) pass.
const PEOPLE = 'ia-adv-people';
const BOARD = 'ia-adv-board';
const NS = 'ia-adv';
const CALLER_ROLE = 'ia-caller-owner';
const CALLEE_ROLE = 'ia-callee-owner';

const ALICE = { as: 'ia-alice', groups: [PEOPLE] }; // holds CALLER_ROLE
const BOB = { as: 'ia-bob', groups: [PEOPLE] }; // holds CALLEE_ROLE
const MALLORY = { as: 'ia-mallory', groups: [PEOPLE] }; // holds nothing
const GINA = { as: 'ia-gina', groups: [PEOPLE, BOARD] }; // a governance admin
const BOT = { as: `system:serviceaccount:${NS}:bot` }; // a ServiceAccount with cluster-admin

const person = (user: string) =>
  `{ name: ${user} Person, email: ${user}@example.com, user: ${user}, attestedUntil: '${isoIn(365 * 86_400_000)}' }`;

const capability = (name: string, role: string, traits: string, extra = '') => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${NS} }
spec:
  description: The ${name} capability of the coordination adversary tests.
  intendedUse: Exercised by e2e tests only.
  accountableRole: ${role}
  ${traits}${extra}
`;

const setup = `
${adminBinding('ia-adv-people-admin', PEOPLE, [`${NS}:bot`])}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${CALLER_ROLE} }
spec: { title: Caller Owner, responsibilities: [Risk], holders: [${person('ia-alice')}] }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${CALLEE_ROLE} }
spec: { title: Callee Owner, responsibilities: [Risk], holders: [${person('ia-bob')}] }
---
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Enforce
  governanceAdmins: { groups: [${BOARD}] }
  coordination:
    posture: Open
    endpoints:
      - { name: model-provider, description: An outside model provider., cidrs: [203.0.113.0/24], ports: [{ port: 443 }] }
    forbiddenEdges:
      - name: autonomous-to-high
        from: { autonomy: [Autonomous] }
        to: { riskTiers: [High] }
        reason: An autonomous agent never drives a high-risk model.
---
${capability('caller', CALLER_ROLE, 'autonomy: Supervised\n  riskTier: Limited')}
---
${capability('agent', CALLER_ROLE, 'autonomy: Autonomous\n  riskTier: Limited')}
---
${capability('callee', CALLEE_ROLE, 'autonomy: Supervised\n  riskTier: High')}
---
${capability('isolated', CALLEE_ROLE, 'autonomy: Supervised\n  riskTier: Limited', '\n  interactions: { posture: Closed }')}
`;

function refused(result: KubectlResult, ...expected: string[]): void {
  expect(result.code, result.stdout).not.toBe(0);
  for (const text of expected) expect(result.stderr).toContain(text);
}

const patch = (target: readonly string[], body: unknown, who: object, type = 'merge') =>
  kubectl(['patch', ...target, `--type=${type}`, '-p', JSON.stringify(body)], who);
const apply = (stdin: string, who: object) => kubectl(['apply', '-f', '-'], { stdin, ...who });

const port = [{ port: 8080 }];
const call = (name: string) => ({
  namespace: NS,
  capability: name,
  ports: port,
  justification: 'Scores the invoices.',
});
const accept = (name: string) => ({
  namespace: NS,
  capability: name,
  justification: 'Takes its requests.',
});
const interactions = (name: string) =>
  getJson<{ spec: { interactions?: Record<string, unknown> } }>([
    'capability',
    name,
    '-n',
    NS,
  ]).then((stored) => stored.spec.interactions);

const networkPolicy = (name: string, podSelector: unknown, rules: string, labels = '{}') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${NS}, labels: ${labels} }
spec:
  podSelector: ${JSON.stringify(podSelector)}
  policyTypes: [Ingress]
  ${rules}
`;
const ALLOW_ALL = 'ingress: [{}]';
const MANAGED = 'oos-interactions-isolated';

let operator: RunningOperator;

describe('adversary: the coordination layer', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    operator = await startOperator();
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', CALLER_ROLE, CALLEE_ROLE, '--ignore-not-found']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ia-adv-people-admin', '--ignore-not-found']);
  });

  describe('who may declare an interaction', () => {
    const caller = ['capability', 'caller', '-n', NS];
    const callee = ['capability', 'callee', '-n', NS];

    it('a ServiceAccount with cluster-admin adds no calls, acceptsFrom or egress, on CREATE or UPDATE', async () => {
      const egress = [{ name: 'provider', endpoint: 'model-provider', justification: 'Drafts.' }];
      for (const body of [
        { calls: [call('callee')] },
        { acceptsFrom: [accept('agent')] },
        { egress },
      ]) {
        refused(
          await patch(caller, { spec: { interactions: body } }, BOT),
          'NotHuman',
          'a machine never holds accountability',
        );
      }
      refused(
        await apply(
          capability(
            'bot-made',
            CALLER_ROLE,
            'autonomy: Supervised\n  riskTier: Limited',
            `\n  interactions: { calls: [${JSON.stringify(call('callee'))}] }`,
          ),
          BOT,
        ),
        'NotHuman',
      );
      expect(await interactions('caller')).toBeUndefined();
    });

    it('a person with cluster-admin but no role is refused, and told what was asked', async () => {
      refused(
        await patch(caller, { spec: { interactions: { calls: [call('callee')] } } }, MALLORY),
        'NotRoleHolder',
        `ia-mallory cannot declare that ${NS}/caller calls ${NS}/callee`,
      );
    });

    it('the caller’s holder declares the call, but cannot consent for the callee; the callee’s holder can', async () => {
      await kubectlOk(
        [
          'patch',
          ...caller,
          '--type=merge',
          '-p',
          JSON.stringify({ spec: { interactions: { calls: [call('callee')] } } }),
        ],
        ALICE,
      );
      refused(
        await patch(callee, { spec: { interactions: { acceptsFrom: [accept('caller')] } } }, ALICE),
        'NotRoleHolder',
        `ia-alice cannot declare that ${NS}/callee accepts calls from ${NS}/caller`,
      );
      expect(await interactions('callee')).toBeUndefined();
      await kubectlOk(
        [
          'patch',
          ...callee,
          '--type=merge',
          '-p',
          JSON.stringify({ spec: { interactions: { acceptsFrom: [accept('caller')] } } }),
        ],
        BOB,
      );
      expect(await interactions('callee')).toMatchObject({
        acceptsFrom: [{ capability: 'caller' }],
      });
    });

    it('nobody but the operator writes status.interactions: a forged Agreed is refused', async () => {
      const forged = {
        status: {
          interactions: [
            { direction: 'Calls', peer: `${NS}/callee`, state: 'Agreed', since: isoIn(0) },
          ],
        },
      };
      for (const who of [ALICE, GINA, BOT]) {
        refused(
          await kubectl(
            [
              'patch',
              ...caller,
              '--subresource=status',
              '--type=merge',
              '-p',
              JSON.stringify(forged),
            ],
            who,
          ),
          'StatusNotOwned',
        );
      }
    });
  });

  describe('the GovernancePolicy’s coordination rules', () => {
    it('refuses a forbidden edge to its role holder and to a governance admin alike', async () => {
      for (const who of [ALICE, GINA]) {
        refused(
          await patch(
            ['capability', 'agent', '-n', NS],
            { spec: { interactions: { calls: [call('callee')] } } },
            who,
          ),
          'InteractionForbidden',
          'forbiddenEdges rule autonomous-to-high',
          'An autonomous agent never drives a high-risk model',
          `the edge from ${NS}/agent (Autonomous, Limited risk) to ${NS}/callee (Supervised, High risk) is forbidden`,
        );
      }
      expect(await interactions('agent')).toBeUndefined();
    });

    it('refuses a new autonomy that puts a declared edge in a forbidden class', async () => {
      refused(
        await patch(
          ['capability', 'caller', '-n', NS],
          { spec: { autonomy: 'Autonomous' } },
          ALICE,
        ),
        'InteractionForbidden',
        'autonomous-to-high',
      );
      const stored = await getJson<{ spec: { autonomy: string } }>([
        'capability',
        'caller',
        '-n',
        NS,
      ]);
      expect(stored.spec.autonomy).toBe('Supervised');
    });

    it('refuses an egress naming an endpoint the catalogue does not hold', async () => {
      refused(
        await patch(
          ['capability', 'caller', '-n', NS],
          {
            spec: {
              interactions: { egress: [{ name: 'p', endpoint: 'ghost', justification: 'x' }] },
            },
          },
          ALICE,
        ),
        'EndpointNotFound',
        'names endpoint ghost',
      );
    });

    it('keeps the coordination settings for governance admins', async () => {
      const policy = ['governancepolicy', 'default'];
      refused(
        await patch(policy, { spec: { coordination: { forbiddenEdges: null } } }, ALICE),
        'NotGovernanceAdmin',
      );
      refused(
        await patch(policy, { spec: { coordination: { posture: 'Open', maxPending: '1h' } } }, BOT),
        'NotGovernanceAdmin',
      );
      await kubectlOk(
        [
          'patch',
          ...policy,
          '--type=merge',
          '-p',
          '{"spec":{"coordination":{"maxPending":"48h"}}}',
        ],
        GINA,
      );
    });
  });

  describe('NetworkPolicies cannot open a Closed capability', () => {
    it.each([
      ['an empty podSelector', {}],
      ['matchLabels of another label', { matchLabels: { app: 'web' } }],
      [
        'matchExpressions In a list holding the capability',
        {
          matchExpressions: [
            { key: 'oos.dev/capability', operator: 'In', values: ['caller', 'isolated'] },
          ],
        },
      ],
    ])('refuses an allow rule with %s', async (_, podSelector) => {
      for (const who of [MALLORY, GINA, BOT]) {
        refused(
          await apply(networkPolicy('open-up', podSelector, ALLOW_ALL), who),
          'NetworkPolicyWidensCapability',
          'of Closed capability isolated',
        );
      }
      const found = await kubectl(['get', 'networkpolicy', 'open-up', '-n', NS]);
      expect(found.code).not.toBe(0);
    });

    it('admits the safe forms and pure deny policies', async () => {
      await kubectlOk(['apply', '-f', '-'], {
        stdin: networkPolicy(
          'web',
          { matchExpressions: [{ key: 'oos.dev/capability', operator: 'DoesNotExist' }] },
          ALLOW_ALL,
        ),
        ...MALLORY,
      });
      await kubectlOk(['apply', '-f', '-'], {
        stdin: networkPolicy(
          'caller-only',
          { matchLabels: { 'oos.dev/capability': 'caller' } },
          ALLOW_ALL,
        ),
        ...MALLORY,
      });
      await kubectlOk(['apply', '-f', '-'], {
        stdin: networkPolicy('deny-all', {}, 'ingress: []'),
        ...MALLORY,
      });
    });

    it('refuses the UPDATE of a harmless policy into a widening one', async () => {
      refused(
        await patch(
          ['networkpolicy', 'web', '-n', NS],
          [{ op: 'remove', path: '/spec/podSelector/matchExpressions' }],
          MALLORY,
          'json',
        ),
        'NetworkPolicyWidensCapability',
      );
      refused(
        await patch(['networkpolicy', 'deny-all', '-n', NS], { spec: { ingress: [{}] } }, MALLORY),
        'NetworkPolicyWidensCapability',
      );
      const stored = await getJson<{ spec: Record<string, unknown> }>([
        'networkpolicy',
        'web',
        '-n',
        NS,
      ]);
      expect(stored.spec.podSelector).toEqual({
        matchExpressions: [{ key: 'oos.dev/capability', operator: 'DoesNotExist' }],
      });
    });

    it('leaves the managed policy to the operator: no change, unlabelling, delete or look-alike', async () => {
      const managed = networkPolicy(
        MANAGED,
        { matchLabels: { 'oos.dev/capability': 'isolated' } },
        'ingress: []',
        '{ oos.dev/managed-by: oos }',
      );
      await kubectlOk(['apply', '-f', '-'], { stdin: managed }); // the admin is the operator here
      const target = ['networkpolicy', MANAGED, '-n', NS];
      for (const who of [MALLORY, GINA, BOB, BOT]) {
        refused(await patch(target, { spec: { ingress: [{}] } }, who), 'ManagedByOos');
        refused(
          await patch(target, { metadata: { labels: { 'oos.dev/managed-by': null } } }, who),
          'ManagedByOos',
        );
        refused(
          await kubectl(['delete', ...target], who),
          'ManagedByOos',
          'isolates the Pods of Closed capability',
        );
        refused(await apply(managed.replace(MANAGED, 'look-alike'), who), 'ManagedByOos');
      }
      const stored = await getJson<{
        metadata: { labels: Record<string, string> };
        spec: Record<string, unknown>;
      }>(target);
      // the controller owns it too now (its own labels added), and it still lets nobody in
      expect(stored.metadata.labels['oos.dev/managed-by']).toBe('oos');
      expect(stored.spec.ingress ?? []).toEqual([]);
    });
  });

  describe('a Pod cannot pose as a caller to pass another capability’s ingress rule', () => {
    it('refuses a Pod labelled with a capability its ServiceAccount holds no delegation of', async () => {
      const pod = `
apiVersion: v1
kind: Pod
metadata: { name: impostor, namespace: ${NS}, labels: { oos.dev/capability: caller } }
spec:
  serviceAccountName: bot
  containers: [{ name: main, image: busybox:1.36 }]
`;
      for (const who of [MALLORY, BOT]) refused(await apply(pod, who), 'DelegationMissing');
    });
  });
});

describe('the fallback policy keeps the managed NetworkPolicies with no webhook running', () => {
  const FALLBACK = 'ia-fallback';
  const POLICY = 'oos-ia-protect-managed-network-policies';
  const OPERATOR = { as: 'system:serviceaccount:ia-oos:oos-ia' }; // the chart's operator here
  const COLLECTOR = { as: 'system:serviceaccount:kube-system:generic-garbage-collector' };
  const target = ['networkpolicy', MANAGED, '-n', FALLBACK];
  const managed = networkPolicy(
    MANAGED,
    { matchLabels: { 'oos.dev/capability': 'isolated' } },
    'ingress: []',
    '{ oos.dev/managed-by: oos }',
  ).replace(`namespace: ${NS}`, `namespace: ${FALLBACK}`);

  beforeAll(async () => {
    await removeWebhooks();
    await kubectlOk(['apply', '-f', '-'], {
      stdin: `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${FALLBACK} }\n---\n${adminBinding('ia-fallback-admin', PEOPLE, ['ia-oos:oos-ia', `${NS}:bot`])}`,
    });
    await kubectlOk(['apply', '-f', '-'], { stdin: managed });
    const rendered = await new Helm(inject('helm')).ok([
      ...['template', 'oos-ia', CHART, '--namespace', 'ia-oos'],
      ...['--show-only', 'templates/fallback-network-policies.yaml'],
    ]);
    await kubectlOk(['apply', '-f', '-'], { stdin: rendered });
    await waitFor('the managed NetworkPolicy fallback to be active', async () => {
      const result = await kubectl(['delete', ...target, '--dry-run=server'], MALLORY);
      if (result.code !== 0 && result.stderr.includes('ManagedByOos')) return true;
      throw new Error(`${String(result.code)} ${result.stderr}`);
    });
  });

  afterAll(async () => {
    await kubectl([
      'delete',
      'validatingadmissionpolicybinding,validatingadmissionpolicy',
      POLICY,
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'namespace', FALLBACK, '--wait=false']);
    await kubectl(['delete', 'clusterrolebinding', 'ia-fallback-admin', '--ignore-not-found']);
  });

  it('refuses changing, unlabelling, deleting or imitating it to anyone but the operator', async () => {
    for (const who of [MALLORY, GINA, BOT]) {
      refused(await patch(target, { spec: { ingress: [{}] } }, who), 'ManagedByOos');
      refused(
        await patch(target, { metadata: { labels: { 'oos.dev/managed-by': null } } }, who),
        'ManagedByOos',
      );
      refused(await kubectl(['delete', ...target], who), 'ManagedByOos');
      refused(await apply(managed.replace(MANAGED, 'look-alike'), who), 'ManagedByOos');
    }
    await kubectlOk(
      ['patch', ...target, '--dry-run=server', '--type=merge', '-p', '{"spec":{"ingress":[{}]}}'],
      OPERATOR,
    );
    // The garbage collector takes a deleted capability's policy with it.
    await kubectlOk(['delete', ...target, '--dry-run=server'], COLLECTOR);
    // A policy of one's own is not the fallback's business.
    await kubectlOk(['apply', '-f', '-'], {
      stdin: networkPolicy('own', {}, 'ingress: []').replace(
        `namespace: ${NS}`,
        `namespace: ${FALLBACK}`,
      ),
      ...MALLORY,
    });
  });
});
