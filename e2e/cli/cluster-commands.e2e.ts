import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../cli/cluster/connect.js';
import { listAll } from '../../cli/cluster/list.js';
import { readCluster } from '../../cli/cluster/read.js';
import {
  as,
  installCrds,
  isoIn,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
} from '../controller/support.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import { kubectlOos, oos, oosOffline, pluginDir } from './support.js';

const NS = 'cli-who';
const OWNER = 'cli-owner';
const PEER_OWNER = 'cli-peer-owner'; // answers for the capabilities chat calls
const ERIN = as('cli-erin'); // holds the accountable role
const FRANK = as('cli-frank'); // holds the peers' role
const MALLORY = as('cli-mallory'); // a person with every RBAC right and no role
const DAN = as('cli-dan'); // requests an exemption
const NOBODY = { as: 'cli-nobody', groups: [] }; // no RBAC rights at all
const VIEWER = { as: 'cli-viewer', groups: [] }; // may read workloads in NS only

const setup = `
${peopleRbac('cli-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: chat-bot, namespace: ${NS} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: workload-viewer, namespace: ${NS} }
rules:
  - { apiGroups: [apps], resources: [deployments], verbs: [get, list] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: workload-viewer, namespace: ${NS} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: workload-viewer }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: cli-viewer }]
---
${role(OWNER, ['cli-erin'])}
---
${role(PEER_OWNER, ['cli-frank'])}
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: default, namespace: ${NS} }
spec:
  triggers:
    - { type: DelegationExpiring, severity: Warning, leadTime: 30d }
  levels:
    - { after: 0s, notifyAccountableRole: true }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: chat, namespace: ${NS} }
spec:
  description: Drafts answers to customer questions.
  intendedUse: An agent reviews every draft before sending it.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  escalationPolicy: default
  interactions:
    calls:
      - { namespace: ${NS}, capability: scorer, ports: [{ port: 8080 }], justification: Scores the risk of a draft. }
      - { namespace: ${NS}, capability: summaries, ports: [{ port: 9000 }], justification: Reads the ticket summary. }
    egress:
      - { name: weather, cidrs: [203.0.113.0/24], ports: [{ port: 443 }], justification: Answers weather questions. }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: scorer, namespace: ${NS} }
spec:
  description: Scores the risk of a draft answer.
  intendedUse: A score the agent sees beside the draft.
  accountableRole: ${PEER_OWNER}
  autonomy: Supervised
  riskTier: High
  interactions:
    acceptsFrom:
      - { namespace: ${NS}, capability: chat, justification: The chat drafts are scored before review. }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: summaries, namespace: ${NS} }
spec:
  description: Summarises support tickets.
  intendedUse: Summaries an agent reads.
  accountableRole: ${PEER_OWNER}
  autonomy: Advisory
  riskTier: Minimal
`;

const delegation = `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: chat-chat-bot, namespace: ${NS} }
spec:
  capability: chat
  serviceAccount: chat-bot
  validUntil: '${isoIn(7 * 86_400_000)}'
  justification: The chat Deployment runs as this ServiceAccount.
`;

const deployment = (name: string, labels: string, serviceAccount = 'chat-bot') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { ${labels} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, ${labels} } }
    spec:
      serviceAccountName: ${serviceAccount}
      containers: [{ name: vllm, image: vllm/vllm-openai:v0.6.3 }]
`;

const exemption = `
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: bench, namespace: ${NS} }
spec:
  capability: chat
  scope: { names: [bench] }
  justification: One latency benchmark before the capacity review.
  expiresAt: '${isoIn(2 * 86_400_000)}'
`;

let operator: RunningOperator;
let plugin: ReturnType<typeof pluginDir>;

interface Escalation {
  metadata: { name: string };
  spec: { trigger: string; acknowledged?: boolean; acknowledgedBy?: string };
}

async function delegationEscalation(): Promise<string> {
  return waitFor('the DelegationExpiring escalation of chat', async () => {
    const list = await getJson<{ items: Escalation[] }>(['escalations', '-n', NS]);
    return list.items.find((e) => e.spec.trigger === 'DelegationExpiring')?.metadata.name;
  });
}

// Every command is a new process (tsx compiles on start): generous on a busy machine.
describe('oos against a live cluster', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    // An unanchored AI workload that got in before oos ran (no webhook yet).
    await kubectlOk(['apply', '-f', '-'], { stdin: deployment('stray', 'team: ml') });
    operator = await startController(['--audit-interval', '2s']);
    await kubectlOk(['apply', '-f', '-'], { stdin: delegation, ...ERIN });
    await kubectlOk(['apply', '-f', '-'], {
      stdin: deployment('chat', 'oos.dev/capability: chat'),
      ...ERIN,
    });
    await kubectlOk(['apply', '-f', '-'], { stdin: exemption, ...DAN });
    plugin = pluginDir();
  });

  afterAll(async () => {
    plugin.remove();
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'clusterrolebinding', 'cli-people', '--ignore-not-found']);
    await kubectl(['delete', 'accountablerole', OWNER, PEER_OWNER, '--ignore-not-found']);
  });

  it('readCluster: the view the operator has, read with the user kubeconfig', async () => {
    const view = await readCluster({ kubeconfig: inject('kubeconfig') });
    expect(view.warnings).toEqual([]);
    expect(view.snapshot.capabilities.get(`${NS}/chat`)?.capability.spec.accountableRole).toBe(
      OWNER,
    );
    expect(view.objects.delegations?.find((d) => d.metadata.namespace === NS)?.spec.grantedBy).toBe(
      'cli-erin',
    );
    const reasons = Object.fromEntries(
      view.findings
        .filter((f) => f.workload.namespace === NS)
        .map((f) => [f.workload.name, f.reason]),
    );
    expect(reasons).toEqual({ chat: 'Anchored', stray: 'AnchorMissing' });
    expect(view.namespaceLabels(NS)).toMatchObject({ 'kubernetes.io/metadata.name': NS });
  });

  it('readCluster: lists page by page, and a user without rights gets warnings, not a crash', async () => {
    const rest = connect({ kubeconfig: inject('kubeconfig') });
    const paged = await listAll(rest, `/apis/apps/v1/namespaces/${NS}/deployments`, 1);
    expect(paged.map((d) => (d.metadata as { name: string }).name).sort()).toEqual([
      'chat',
      'stray',
    ]);
    const view = await readCluster({
      kubeconfig: inject('kubeconfig'),
      as: NOBODY.as,
      namespace: NS,
    });
    expect(view.snapshot.capabilities.size).toBe(0);
    expect(view.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^partial read: you may not list capabilities\.oos\.dev in namespace cli-who \(RBAC\)/,
        ),
        expect.stringMatching(/^partial read: you may not list namespaces in the cluster \(RBAC\)/),
      ]),
    );
  });

  it('who: the whole chain of an anchored workload, exit 0, in text and JSON', async () => {
    await delegationEscalation();
    const text = await oos(['who', 'deployment/chat', '-n', NS], MALLORY);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Deployment cli-who\/chat {2}ANCHORED\n/);
    expect(text.stdout).toContain(`${NS}/chat  autonomy Supervised, risk tier Limited, running`);
    expect(text.stdout).toContain(
      '- cli-erin (cli-erin Person <cli-erin@example.com>) attested until',
    );
    expect(text.stdout).toContain('-> ServiceAccount chat-bot, granted by cli-erin, until');

    const json = await oos(['who', 'deploy/chat', '-n', NS, '-o', 'json'], MALLORY);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      workload: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chat' },
      anchored: true,
      decision: { allowed: true, reason: 'Anchored', mode: 'Enforce' },
      capability: { name: 'chat', autonomy: 'Supervised', riskTier: 'Limited', suspended: false },
      accountableRole: {
        name: OWNER,
        vacant: false,
        holders: [{ user: 'cli-erin', current: true }],
      },
      serviceAccounts: ['chat-bot'],
      delegations: [{ name: 'chat-chat-bot', grantedBy: 'cli-erin', state: 'Active' }],
      escalations: [{ trigger: 'DelegationExpiring', level: 1, acknowledged: false }],
      warnings: [],
    });
  });

  it('who: the edges of the capability, one pending until the other role answers', async () => {
    const before = await oos(['who', 'deployment/chat', '-n', NS, '-o', 'json'], MALLORY);
    expect(before.code).toBe(0);
    expect((JSON.parse(before.stdout) as { interactions: unknown }).interactions).toEqual({
      posture: 'Open',
      calls: [
        {
          peer: `${NS}/scorer`,
          ports: ['8080/TCP'],
          state: 'Agreed',
          declaredBy: 'Both',
          mustAnswer: null,
          waitingFor: null,
          message: 'agreed by both sides on 8080/TCP',
        },
        expect.objectContaining({
          peer: `${NS}/summaries`,
          state: 'WaitingForPeer',
          declaredBy: 'Caller',
          mustAnswer: PEER_OWNER,
          waitingFor: `${NS}/summaries`,
        }),
      ],
      calledBy: [],
      clients: [],
      egress: [
        expect.objectContaining({
          name: 'weather',
          endpoint: null,
          cidrs: ['203.0.113.0/24'],
          ports: ['443/TCP'],
          state: 'Agreed',
        }),
      ],
    });
    // Frank's `oos mine` lists the edge his role must answer.
    const frank = await oos(['mine', '-o', 'json'], FRANK);
    expect(frank.code).toBe(0);
    expect(
      (JSON.parse(frank.stdout) as { interactionsToAnswer: unknown }).interactionsToAnswer,
    ).toMatchObject([
      {
        caller: `${NS}/chat`,
        callee: `${NS}/summaries`,
        state: 'WaitingForPeer',
        mustAnswer: PEER_OWNER,
      },
    ]);
    // Frank, who answers for summaries, accepts the call: the edge is agreed by both roles.
    await kubectlOk(
      [
        'patch',
        'capability',
        'summaries',
        '-n',
        NS,
        '--type=merge',
        '-p',
        JSON.stringify({
          spec: {
            interactions: {
              acceptsFrom: [
                { namespace: NS, capability: 'chat', justification: 'Chat may read summaries.' },
              ],
            },
          },
        }),
      ],
      FRANK,
    );
    const after = await oos(['who', 'deployment/chat', '-n', NS], MALLORY);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(
      `  posture       Open (not isolated; edges recorded and checked)\n`,
    );
    expect(after.stdout).toContain(`  calls         ${NS}/scorer on 8080/TCP  Agreed\n`);
    expect(after.stdout).toContain(`                ${NS}/summaries on 9000/TCP  Agreed\n`);
    expect(after.stdout).toContain(`  egress        weather (203.0.113.0/24) on 443/TCP  Agreed\n`);
  });

  it('who: an unanchored workload exits 1 and says where the chain breaks', async () => {
    const result = await oos(['who', 'deployment/stray', '-n', NS, '-o', 'json'], MALLORY);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      anchored: false,
      decision: { allowed: false, reason: 'AnchorMissing' },
      capability: null,
      accountableRole: null,
    });
    const text = await oos(['who', 'deployment/stray', '-n', NS], MALLORY);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('NOT ANCHORED');
    expect(text.stdout).toContain('deny (Enforce) AnchorMissing:');
  });

  it('who: usage and read errors exit 2', async () => {
    expect(await oos(['who', 'deployment/absent', '-n', NS], MALLORY)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('OOS_ERR_NOT_FOUND') as unknown,
    });
    expect((await oos(['who', 'service/chat', '-n', NS])).code).toBe(2);
    const unreachable = await oos(['who', 'deployment/chat', '-n', NS, '--context', 'nope']);
    expect(unreachable).toMatchObject({ code: 2 });
    expect(unreachable.stderr).toContain('OOS_ERR_KUBECONFIG');
  });

  it('who: a user who may read only the workloads gets a partial view, with warnings', async () => {
    const result = await oos(['who', 'deployment/chat', '-n', NS, '-o', 'json'], VIEWER);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      warnings: string[];
      decision: { reason: string };
    };
    expect(report.decision.reason).toBe('CapabilityNotFound');
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^partial read: you may not list capabilities\.oos\.dev in namespace cli-who \(RBAC\)/,
        ),
      ]),
    );
  });

  it('mine / who --user: everything a person is accountable for', async () => {
    const mine = await oos(['mine', '-o', 'json'], ERIN);
    expect(mine.code).toBe(0);
    const report = JSON.parse(mine.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      user: 'cli-erin',
      roles: [{ name: OWNER, current: true }],
      capabilities: [{ namespace: NS, name: 'chat', accountableRole: OWNER }],
      delegationsGranted: [{ name: 'chat-chat-bot', state: 'Active' }],
      escalations: [{ trigger: 'DelegationExpiring', why: 'accountable' }],
      exemptionsAwaitingApproval: [{ name: 'bench', requestedBy: 'cli-dan' }],
    });
    const other = await oos(['who', '--user', 'cli-erin'], MALLORY);
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/^cli-erin is accountable for\n/);
    expect(other.stdout).toContain(`${NS}/chat  autonomy Supervised`);
  });

  it('ack: refused with the reason for a person without the role, accepted for the holder', async () => {
    const name = await delegationEscalation();
    const refused = await oos(['ack', `escalation/${name}`, '-n', NS], MALLORY);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^oos: refused by oos: NotRoleHolder: /);
    const done = await oos(['ack', `esc/${name}`, '-n', NS, '--note', 'Renewing today.'], ERIN);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(`Escalation ${NS}/${name} acknowledged by cli-erin\n`);
    const stored = await getJson<Escalation>(['escalation', name, '-n', NS]);
    expect(stored.spec).toMatchObject({ acknowledged: true, acknowledgedBy: 'cli-erin' });
  });

  it('approve: never the requester, never a person without the role; the holder approves the content shown', async () => {
    const self = await oos(['approve', 'exemption/bench', '-n', NS], DAN);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/^oos: refused by oos: SelfApproval: /);
    const stranger = await oos(['approve', 'exemption/bench', '-n', NS], MALLORY);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^oos: refused by oos: NotRoleHolder: /);
    const wrongDigest = await oos(
      ['approve', 'exm/bench', '-n', NS, '--digest', 'sha256:00'],
      ERIN,
    );
    expect(wrongDigest.code).toBe(2);
    expect(wrongDigest.stderr).toContain('OOS_ERR_CONTENT_CHANGED');
    const done = await oos(['approve', 'exm/bench', '-n', NS], ERIN);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /^Exemption cli-who\/bench approved by cli-erin \(requested by cli-dan\): it covers \{"names":\["bench"\]\}/,
    );
    const stored = await getJson<{ spec: Record<string, unknown> }>([
      'exemption',
      'bench',
      '-n',
      NS,
    ]);
    expect(stored.spec).toMatchObject({
      approved: true,
      approvedBy: 'cli-erin',
      requestedBy: 'cli-dan',
    });
  });

  it('suspend and resume: RBAC refuses a stranger, anyone allowed stops, only the accountable resume', async () => {
    const noRights = await oos(['suspend', 'capability/chat', '-n', NS], NOBODY);
    expect(noRights.code).toBe(1);
    expect(noRights.stderr).toMatch(/^oos: refused by RBAC: Forbidden: .*cli-nobody/);

    const stop = await oos(
      ['suspend', 'cap/chat', '-n', NS, '--reason', 'Drafts went off-policy.'],
      MALLORY,
    );
    expect(stop.stderr).toBe('');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`Capability ${NS}/chat suspended by cli-mallory`);
    const who = await oos(['who', 'deployment/chat', '-n', NS, '-o', 'json'], MALLORY);
    expect(JSON.parse(who.stdout)).toMatchObject({
      anchored: false,
      decision: { reason: 'CapabilitySuspended' },
      capability: {
        suspended: true,
        suspendedBy: 'cli-mallory',
        suspendReason: 'Drafts went off-policy.',
      },
    });

    const resumeRefused = await oos(['resume', 'capability/chat', '-n', NS], MALLORY);
    expect(resumeRefused.code).toBe(1);
    expect(resumeRefused.stderr).toMatch(/^oos: refused by oos: NotRoleHolder: /);
    const resumed = await oos(['resume', 'capability/chat', '-n', NS], ERIN);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Capability ${NS}/chat resumed by cli-erin`);
  });

  it('runs as a kubectl plugin: kubectl oos who, with the plugin on the PATH', async () => {
    const result = await kubectlOos(
      plugin.dir,
      ['who', 'deployment/stray', '-n', NS, '-o', 'json'],
      MALLORY,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: { reason: 'AnchorMissing' } });
    const help = await kubectlOos(plugin.dir, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kubectl oos <command>');
    const listed = await kubectlOos(plugin.dir, []);
    expect(listed.code).toBe(2);
  });

  it('prints shell completion for bash and zsh', async () => {
    const bash = await oosOffline(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _oos kubectl-oos');
    const zsh = await oosOffline(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef oos kubectl-oos/);
  });
});
