import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exemptionSchema } from '../../api/index.js';
import { exemptionDigest } from '../../engine/exemption-digest.js';
import { adminBinding, installCrds, isoIn, removeWebhooks } from '../support/cluster.js';
import { getJson, kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import {
  conditionOf,
  isOpen,
  role,
  startController,
  waitForEscalation,
  type EscalationObject,
} from '../controller/support.js';

/*
 * The evidence (docs/threat-model.md §3, §9, §10): every attacker below is bound to
 * cluster-admin, so each refusal comes from oos. The operator runs as the admin user of the
 * kubeconfig (`--operator-user oos-admin`), so the set-up done as admin counts as the operator.
 */

const NS = 'ev-ml';
const DOOMED = 'ev-doomed';
const PLAY = 'ev-play';
const ATTACKERS = 'ev-attackers';
const OWNER = 'ev-owner';
const VACANT = 'ev-vacant-owner';
const LATER = 'ev-later-owner';

const ALICE = { as: 'ev-alice', groups: [ATTACKERS] };
const CAROL = { as: 'ev-carol', groups: [ATTACKERS] };
const MALLORY = { as: 'ev-mallory', groups: [ATTACKERS] };
const GINA = { as: 'ev-gina', groups: [ATTACKERS, 'ev-governance-board'] };
const BOT = { as: `system:serviceaccount:${NS}:bot` };
const inDays = (days: number): string => isoIn(days * 86_400_000);

const setup = `
${adminBinding('ev-attackers-admin', ATTACKERS, [`${NS}:bot`])}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS}, labels: { ev-tier: prod } }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${DOOMED} }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${PLAY} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: ${NS} }
---
${role(OWNER, ['ev-alice'])}
---
${role(VACANT, [])}
---
${role(LATER, [])}
`;

/** Warn by default; namespaces labelled ev-tier=prod are enforced, ev-sandbox ones warned. */
const policy = `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Warn
  enforcementRules:
    - namespaceSelector: { matchLabels: { environment: ev-sandbox } }
      enforcement: Warn
    - namespaceSelector: { matchExpressions: [{ key: ev-tier, operator: In, values: [prod] }] }
      enforcement: Enforce
  governanceAdmins: { groups: [ev-governance-board] }
`;

const capability = (name: string, accountableRole: string, namespace = NS): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  description: Drafts answers for the support team.
  intendedUse: A support agent reviews every draft before sending it.
  accountableRole: ${accountableRole}
  autonomy: Supervised
  riskTier: Limited
  delegationRequired: false
`;

const delegation = (name: string, from: string, until: string, namespace = NS): string => `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  capability: chat
  serviceAccount: ${name}
  validFrom: '${from}'
  validUntil: '${until}'
  justification: The chat Deployment runs as this ServiceAccount.
`;

const exemption = (name: string): string => `
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: ${name}, namespace: ${NS} }
spec:
  capability: chat
  scope: { names: [incident-debugger] }
  justification: Debugging a production incident with a model outside the boundaries.
  expiresAt: '${inDays(7)}'
`;

const vllm = (namespace: string, name: string): string => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  containers:
    - { name: vllm, image: 'vllm/vllm-openai:v0.6.3' }
`;

interface Stamped {
  metadata: { uid: string; creationTimestamp: string };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const get = (kind: string, name: string, namespace = NS): Promise<Stamped> =>
  getJson<Stamped>([kind, name, '-n', namespace]);

function refused(result: KubectlResult, reason: string): void {
  expect(result.code, result.stdout).not.toBe(0);
  expect(result.stderr).toContain(reason);
}

/** What identifies the history of an escalation: if any of it changes, evidence was rewritten. */
const history = (e: EscalationObject) => ({
  uid: e.metadata.uid,
  openedAt: e.metadata.creationTimestamp,
  level: e.status?.level,
  acknowledgedBy: e.spec.acknowledgedBy,
  resolvedAt: e.status?.resolvedAt,
});

const statusPatch = (kind: string, name: string, body: string, type = 'merge'): string[] => [
  ...['patch', kind, name, '-n', NS, '--subresource=status', `--type=${type}`, '-p', body],
];

let operator: RunningOperator;
let open: EscalationObject;
let resolved: EscalationObject;

describe('evidence cannot be erased or rewritten', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy });
    operator = await startController();
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('chat', OWNER), ...ALICE });
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('orphan', VACANT), ...GINA });
    await kubectlOk(['apply', '-f', '-'], { stdin: capability('fixed', LATER), ...GINA });
    // An open escalation, acknowledged by a person; and one resolved once a holder is appointed.
    const first = await waitForEscalation(NS, 'AccountabilityVacant', 'orphan', isOpen);
    await kubectlOk(
      [
        ...['patch', 'escalation', first.metadata.name, '-n', NS, '--type=merge'],
        ...['-p', '{"spec":{"acknowledged":true,"acknowledgementNote":"On it."}}'],
      ],
      GINA,
    );
    open = await waitForEscalation(
      NS,
      'AccountabilityVacant',
      'orphan',
      (e) => conditionOf(e, 'Acknowledged')?.status === 'True',
    );
    await waitForEscalation(NS, 'AccountabilityVacant', 'fixed', isOpen);
    // Roles are appointed by a governance admin of the policy in force (gina).
    await kubectlOk(['apply', '-f', '-'], { stdin: role(LATER, ['ev-erin']), ...GINA });
    resolved = await waitForEscalation(NS, 'AccountabilityVacant', 'fixed', (e) => !isOpen(e));
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, DOOMED, PLAY, 'ev-sneaky', '--wait=false']);
    await kubectl(['delete', 'accountablerole', OWNER, VACANT, LATER, '--ignore-not-found']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ev-attackers-admin', '--ignore-not-found']);
  });

  describe('Escalations: only the operator deletes them', () => {
    it('refuses deleting an open, acknowledged escalation to anyone, keeping its history', async () => {
      expect(open.spec.acknowledgedBy).toBe('ev-gina');
      expect(open.status?.level).toBe(1);
      for (const who of [BOT, MALLORY, GINA, ALICE]) {
        refused(
          await kubectl(['delete', 'escalation', open.metadata.name, '-n', NS], who),
          'EvidenceRetained',
        );
      }
      refused(
        await kubectl(
          ['delete', 'escalation', open.metadata.name, '-n', NS, '--grace-period=0', '--force'],
          MALLORY,
        ),
        'EvidenceRetained',
      );
      const after = await getJson<EscalationObject>(['escalation', open.metadata.name, '-n', NS]);
      expect(history(after)).toEqual(history(open));
    });

    it('refuses deleting a resolved escalation: it is kept for its retention', async () => {
      expect(resolved.status?.resolvedAt).toBeDefined();
      refused(
        await kubectl(['delete', 'escalation', resolved.metadata.name, '-n', NS], MALLORY),
        'EvidenceRetained',
      );
      const after = await getJson<EscalationObject>([
        'escalation',
        resolved.metadata.name,
        '-n',
        NS,
      ]);
      expect(history(after)).toEqual(history(resolved));
    });

    it('refuses `kubectl delete escalations --all`, and `kubectl replace --force`', async () => {
      const before = (await getJson<{ items: EscalationObject[] }>(['escalations', '-n', NS]))
        .items;
      refused(
        await kubectl(['delete', 'escalations', '--all', '-n', NS], MALLORY),
        'EvidenceRetained',
      );
      refused(await kubectl(['delete', 'escalations', '--all', '-n', NS], BOT), 'EvidenceRetained');
      const manifest = await kubectlOk([
        'get',
        'escalation',
        open.metadata.name,
        '-n',
        NS,
        '-o',
        'json',
      ]);
      refused(
        await kubectl(['replace', '--force', '-f', '-'], { stdin: manifest, ...MALLORY }),
        'EvidenceRetained',
      );
      const after = (await getJson<{ items: EscalationObject[] }>(['escalations', '-n', NS])).items;
      expect(after.map(history)).toEqual(expect.arrayContaining(before.map(history)));
    });

    it('keeps the history across an operator restart', async () => {
      await operator.stop();
      operator = await startController();
      // A full audit round after the restart: the same records, not new ones.
      await new Promise((done) => setTimeout(done, 3000));
      const after = await getJson<EscalationObject>(['escalation', open.metadata.name, '-n', NS]);
      expect(history(after)).toEqual(history(open));
      const all = (await getJson<{ items: EscalationObject[] }>(['escalations', '-n', NS])).items;
      expect(all.filter((e) => e.spec.subject.name === 'orphan')).toHaveLength(1);
    });
  });

  describe('Status: written by the operator alone', () => {
    it('refuses a ServiceAccount resolving a Critical escalation through its status', async () => {
      const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      refused(
        await kubectl(
          statusPatch('escalation', open.metadata.name, `{"status":{"resolvedAt":"${at}"}}`),
          BOT,
        ),
        'StatusNotOwned',
      );
      refused(
        await kubectl(
          statusPatch('escalation', open.metadata.name, '{"status":{"level":0}}'),
          MALLORY,
        ),
        'StatusNotOwned',
      );
      refused(
        await kubectl(
          statusPatch(
            'escalation',
            open.metadata.name,
            '[{"op":"remove","path":"/status/conditions"}]',
            'json',
          ),
          GINA,
        ),
        'StatusNotOwned',
      );
      // Nothing happened: the controller did not see a resolution, nor reopen a fresh record.
      await new Promise((done) => setTimeout(done, 2000));
      const after = await getJson<EscalationObject>(['escalation', open.metadata.name, '-n', NS]);
      expect(history(after)).toEqual(history(open));
    });

    it('refuses writing the status of a Capability, to a ServiceAccount and to its role holder', async () => {
      refused(
        await kubectl(
          statusPatch(
            'capability',
            'chat',
            '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Forged","message":"x","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}',
          ),
          BOT,
        ),
        'StatusNotOwned',
      );
      refused(
        await kubectl(
          statusPatch('capability', 'chat', '{"status":{"observedGeneration":99}}'),
          ALICE,
        ),
        'StatusNotOwned',
      );
    });

    it('is not sent the operator’s own status writes, and is sent everyone else’s and its other writes', async () => {
      // The apiserver's CEL matchCondition `not-the-operators-status` skips the webhook for the
      // operator's status writes (it would allow every one); the counter says what was sent.
      const capabilityUpdates = async (): Promise<number> =>
        [
          ...(await operator.get('/metrics')).body.matchAll(
            /oos_admission_reviews_total\{kind="Capability",operation="UPDATE"[^}]*\} (\d+)/g,
          ),
        ]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
      const before = await capabilityUpdates();
      // As the operator's identity (the kubeconfig's admin here): written, and never sent.
      await kubectlOk(statusPatch('capability', 'chat', '{"status":{"observedGeneration":99}}'));
      expect(await capabilityUpdates()).toBe(before);
      // A status the controller did not write is recomputed from the facts (its writes are the
      // operator's status writes too, so still nothing is sent).
      await waitFor('the forged status recomputed', async () =>
        (await get('capability', 'chat')).status?.observedGeneration === 99 ? undefined : true,
      );
      expect(await capabilityUpdates()).toBe(before);
      // Anyone else's status write is sent and refused; the operator's other writes are sent.
      refused(
        await kubectl(
          statusPatch('capability', 'chat', '{"status":{"observedGeneration":99}}'),
          BOT,
        ),
        'StatusNotOwned',
      );
      expect(await capabilityUpdates()).toBe(before + 1);
      // Whatever it decides (the operator is no holder of the role), the label change is sent,
      // to the stamp webhook and to the governance webhook.
      await kubectl(['label', 'capability', 'chat', '-n', NS, 'ev-note=sent', '--dry-run=server']);
      expect(await capabilityUpdates()).toBe(before + 3);
    });
  });

  describe('Delegations: revoked, never erased', () => {
    beforeAll(async () => {
      await kubectlOk(['apply', '-f', '-'], {
        stdin: delegation('chat-runner', inDays(-1), inDays(30)),
        ...ALICE,
      });
    });

    it('refuses deleting a running delegation, even to the holder who granted it', async () => {
      for (const who of [MALLORY, BOT, GINA]) {
        refused(
          await kubectl(['delete', 'delegation', 'chat-runner', '-n', NS], who),
          'EvidenceRetained',
        );
      }
      const byHolder = await kubectl(['delete', 'delegation', 'chat-runner', '-n', NS], ALICE);
      refused(byHolder, 'EvidenceRetained');
      expect(byHolder.stderr).toContain('revoke it instead');
    });

    it('keeps grantedBy through patch, JSON patch remove, replace and replace --force', async () => {
      const before = await get('delegation', 'chat-runner');
      expect(before.spec.grantedBy).toBe('ev-alice');
      const patch = ['patch', 'delegation', 'chat-runner', '-n', NS];
      refused(
        await kubectl(
          [...patch, '--type=merge', '-p', '{"spec":{"grantedBy":"ev-mallory"}}'],
          MALLORY,
        ),
        // The CRD's own rule refuses it before oos is asked; oos would say StampForged.
        'grantedBy is stamped by admission and cannot change once set',
      );
      await kubectl(
        [...patch, '--type=json', '-p', '[{"op":"remove","path":"/spec/grantedBy"}]'],
        MALLORY,
      );
      const manifest = JSON.parse(
        await kubectlOk(['get', 'delegation', 'chat-runner', '-n', NS, '-o', 'json']),
      ) as Stamped;
      delete manifest.spec.grantedBy;
      await kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(manifest), ...MALLORY });
      // Delete-and-recreate, the other way to rewrite a stamp: the delete is refused.
      refused(
        await kubectl(['replace', '--force', '-f', '-'], {
          stdin: JSON.stringify(manifest),
          ...MALLORY,
        }),
        'EvidenceRetained',
      );
      refused(
        await kubectl(
          statusPatch('delegation', 'chat-runner', '{"status":{"state":"Revoked"}}'),
          BOT,
        ),
        'StatusNotOwned',
      );
      const after = await get('delegation', 'chat-runner');
      expect(after.metadata.uid).toBe(before.metadata.uid);
      expect(after.spec.grantedBy).toBe('ev-alice');
    });

    it('lets anyone revoke it (stopping is easy), and still keeps the record', async () => {
      await kubectlOk(
        [
          'patch',
          'delegation',
          'chat-runner',
          '-n',
          NS,
          '--type=merge',
          '-p',
          '{"spec":{"revoked":true}}',
        ],
        BOT,
      );
      refused(
        await kubectl(['delete', 'delegation', 'chat-runner', '-n', NS], MALLORY),
        'EvidenceRetained',
      );
      expect((await get('delegation', 'chat-runner')).spec).toMatchObject({
        revoked: true,
        grantedBy: 'ev-alice',
      });
    });

    it('lets anyone delete a delegation once its evidence retention (180d) has passed', async () => {
      await kubectlOk(['apply', '-f', '-'], {
        stdin: delegation('chat-old', inDays(-260), inDays(-200)),
        ...ALICE,
      });
      await kubectlOk(['delete', 'delegation', 'chat-old', '-n', NS], MALLORY);
    });
  });

  describe('Exemptions: the approval stays on record', () => {
    it('refuses deleting an approved exemption, to its requester and to a governance admin', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: exemption('ev-break'), ...CAROL });
      // The approver approves what they reviewed: the digest of the content as stored.
      const reviewed = exemptionSchema.parse(await getJson(['exemption', 'ev-break', '-n', NS]));
      const approval = { spec: { approved: true, approvedDigest: exemptionDigest(reviewed.spec) } };
      await kubectlOk(
        [
          ...['patch', 'exemption', 'ev-break', '-n', NS, '--type=merge'],
          ...['-p', JSON.stringify(approval)],
        ],
        ALICE,
      );
      for (const who of [CAROL, GINA, BOT]) {
        refused(
          await kubectl(['delete', 'exemption', 'ev-break', '-n', NS], who),
          'EvidenceRetained',
        );
      }
      expect((await get('exemption', 'ev-break')).spec).toMatchObject({
        requestedBy: 'ev-carol',
        approvedBy: 'ev-alice',
      });
    });

    it('lets a request that was never approved be withdrawn', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: exemption('ev-pending'), ...CAROL });
      await kubectlOk(['delete', 'exemption', 'ev-pending', '-n', NS], CAROL);
    });
  });

  describe('a suspended Capability: deleting it is resuming', () => {
    beforeAll(async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: capability('halted', OWNER), ...ALICE });
      await kubectlOk(
        [
          'patch',
          'capability',
          'halted',
          '-n',
          NS,
          '--type=merge',
          '-p',
          '{"spec":{"suspend":true}}',
        ],
        BOT,
      );
    });

    it('refuses a ServiceAccount and a person who holds no role, whatever the verb', async () => {
      refused(await kubectl(['delete', 'capability', 'halted', '-n', NS], BOT), 'NotHuman');
      refused(
        await kubectl(['delete', 'capability', 'halted', '-n', NS], MALLORY),
        'NotRoleHolder',
      );
      const manifest = await kubectlOk(['get', 'capability', 'halted', '-n', NS, '-o', 'json']);
      refused(
        await kubectl(['replace', '--force', '-f', '-'], { stdin: manifest, ...MALLORY }),
        'NotRoleHolder',
      );
      expect((await get('capability', 'halted')).spec).toMatchObject({
        suspend: true,
        suspendedBy: BOT.as,
      });
    });

    it('lets a current holder of its accountable role delete it', async () => {
      await kubectlOk(['delete', 'capability', 'halted', '-n', NS], ALICE);
    });
  });

  describe('the labels that choose enforcement', () => {
    const label = (args: readonly string[], who: { as: string; groups?: string[] }) =>
      kubectl(['label', 'namespace', ...args], who);

    it('refuses relabelling a namespace into the sandbox (Warn) rule', async () => {
      for (const who of [MALLORY, BOT, ALICE]) {
        refused(await label([NS, 'environment=ev-sandbox'], who), 'NamespaceLabelGoverned');
      }
    });

    it('refuses overwriting or removing the label of the Enforce rule', async () => {
      refused(await label([NS, 'ev-tier=dev', '--overwrite'], MALLORY), 'NamespaceLabelGoverned');
      refused(await label([NS, 'ev-tier-'], MALLORY), 'NamespaceLabelGoverned');
      const manifest = JSON.parse(await kubectlOk(['get', 'namespace', NS, '-o', 'json'])) as {
        metadata: { labels: Record<string, string> };
      };
      delete manifest.metadata.labels['ev-tier'];
      refused(
        await kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(manifest), ...MALLORY }),
        'NamespaceLabelGoverned',
      );
      const live = await getJson<{ metadata: { labels: Record<string, string> } }>([
        'namespace',
        NS,
      ]);
      expect(live.metadata.labels['ev-tier']).toBe('prod');
      expect(live.metadata.labels.environment).toBeUndefined();
    });

    it('refuses creating a namespace that already carries a governed label', async () => {
      const sneaky = `
apiVersion: v1
kind: Namespace
metadata: { name: ev-sneaky, labels: { environment: ev-sandbox } }
`;
      refused(
        await kubectl(['apply', '-f', '-'], { stdin: sneaky, ...MALLORY }),
        'NamespaceLabelGoverned',
      );
      expect((await kubectl(['get', 'namespace', 'ev-sneaky'])).code).not.toBe(0);
    });

    it('still enforces there: an unanchored vLLM Pod is refused, not warned', async () => {
      refused(
        await kubectl(['apply', '-f', '-'], { stdin: vllm(NS, 'llm'), ...MALLORY }),
        'AnchorMissing',
      );
    });

    it('lets other labels through, and a governance admin change the governed ones', async () => {
      await kubectlOk(['label', 'namespace', NS, 'team=support'], MALLORY);
      await kubectlOk(['label', 'namespace', NS, 'team-'], BOT);
      await kubectlOk(['label', 'namespace', PLAY, 'environment=ev-sandbox'], GINA);
      const warned = await kubectl(['apply', '-f', '-'], { stdin: vllm(PLAY, 'llm'), ...MALLORY });
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain('no capability anchors it');
    });
  });

  describe('deleting a whole namespace', () => {
    it('still completes: its evidence goes with it', async () => {
      await kubectlOk(['apply', '-f', '-'], { stdin: capability('chat', OWNER, DOOMED), ...ALICE });
      await kubectlOk(['apply', '-f', '-'], {
        stdin: capability('orphan', VACANT, DOOMED),
        ...GINA,
      });
      await kubectlOk(['apply', '-f', '-'], {
        stdin: delegation('chat-runner', inDays(-1), inDays(30), DOOMED),
        ...ALICE,
      });
      await kubectlOk(
        [
          'patch',
          'capability',
          'chat',
          '-n',
          DOOMED,
          '--type=merge',
          '-p',
          '{"spec":{"suspend":true}}',
        ],
        BOT,
      );
      await waitForEscalation(DOOMED, 'AccountabilityVacant', 'orphan', isOpen);
      const deleted = await kubectl(['delete', 'namespace', DOOMED, '--timeout=120s'], MALLORY);
      if (deleted.code !== 0) {
        // Say what held the namespace: its conditions name what could not be deleted.
        const left = await kubectl(['get', 'namespace', DOOMED, '-o', 'jsonpath={.status}']);
        throw new Error(`namespace ${DOOMED} was not deleted: ${deleted.stderr} ${left.stdout}`);
      }
      expect((await kubectl(['get', 'namespace', DOOMED])).code).not.toBe(0);
    });
  });
});

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A template of the chart (fallback-evidence.yaml), rendered with helm as release `oos-ev` in `ev-oos`. */
function renderEvidencePolicy(template = 'fallback-evidence.yaml'): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'oos-ev-helm-'));
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  return new Promise<string>((done, fail) => {
    execFile(
      inject('helm'),
      [
        ...['template', 'oos-ev', join(REPO, 'charts', 'oos'), '--namespace', 'ev-oos'],
        ...['--show-only', `templates/${template}`],
      ],
      { encoding: 'utf8', env },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`helm template failed: ${stderr}`));
        else done(stdout);
      },
    );
  }).finally(() => {
    rmSync(home, { recursive: true, force: true });
  });
}

/** The apiserver has type-checked the policy's current generation and found nothing to warn of. */
async function expectTypeChecked(policy: string): Promise<void> {
  const live = await getJson<{
    metadata: { generation: number };
    status?: Record<string, unknown>;
  }>(['validatingadmissionpolicy', policy]);
  expect(live.status?.observedGeneration).toBe(live.metadata.generation);
  expect(
    (live.status?.typeChecking as { expressionWarnings?: unknown } | undefined)?.expressionWarnings,
  ).toBeUndefined();
}

describe('the fallback policy keeps the evidence with no webhook running', () => {
  const POLICY = 'oos-ev-protect-evidence';
  const FALLBACK = 'ev-fallback';
  let escalation = '';

  beforeAll(async () => {
    await installCrds();
    await removeWebhooks();
    const vacancy = `
apiVersion: v1
kind: Namespace
metadata: { name: ${FALLBACK} }
---
${adminBinding('ev-fallback-admin', ATTACKERS, [`${FALLBACK}:bot`, `ev-oos:oos-ev`])}
---
apiVersion: oos.dev/v1alpha1
kind: Escalation
metadata: { name: ev-vacant, namespace: ${FALLBACK} }
spec:
  trigger: AccountabilityVacant
  severity: Critical
  subject: { apiVersion: oos.dev/v1alpha1, kind: Capability, name: orphan, namespace: ${FALLBACK} }
  summary: Role ev-vacant-owner has no current holder; appoint one.
---
${role('ev-fallback-role', ['ev-alice'])}
`;
    await kubectlOk(['apply', '-f', '-'], { stdin: vacancy });
    escalation = 'ev-vacant';
    await kubectlOk(['apply', '-f', '-'], { stdin: await renderEvidencePolicy() });
    await waitFor('the evidence policy to be active', async () => {
      const result = await kubectl(
        ['delete', 'escalation', escalation, '-n', FALLBACK, '--dry-run=server'],
        MALLORY,
      );
      if (result.code !== 0 && result.stderr.includes('EvidenceRetained')) return true;
      const live = await kubectl(['get', 'validatingadmissionpolicy', POLICY, '-o', 'json']);
      throw new Error(`${result.code} ${result.stderr} ${live.stdout.slice(-1500)}`);
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
    await kubectl(['delete', 'clusterrolebinding', 'ev-fallback-admin', '--ignore-not-found']);
    await kubectl(['delete', 'accountablerole', 'ev-fallback-role', '--ignore-not-found']);
  });

  it('compiles without type-checking warnings', () => expectTypeChecked(POLICY));

  it('refuses deleting an Escalation and writing its status, to anyone but the operator', async () => {
    const deleted = await kubectl(['delete', 'escalation', escalation, '-n', FALLBACK], MALLORY);
    refused(deleted, 'EvidenceRetained');
    expect(deleted.stderr).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    const status = await kubectl(
      [
        ...['patch', 'escalation', escalation, '-n', FALLBACK, '--subresource=status'],
        ...['--type=merge', '-p', '{"status":{"resolvedAt":"2026-01-01T00:00:00Z"}}'],
      ],
      { as: `system:serviceaccount:${FALLBACK}:bot` },
    );
    refused(status, 'StatusNotOwned');
    expect(status.stderr).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    const clusterScoped = await kubectl(
      [
        ...['patch', 'accountablerole', 'ev-fallback-role', '--subresource=status'],
        ...['--type=merge', '-p', '{"status":{"vacant":true}}'],
      ],
      MALLORY,
    );
    refused(clusterScoped, 'StatusNotOwned: the status of AccountableRole ev-fallback-role');
    // The operator's ServiceAccount (bound to cluster-admin here) writes it.
    const operator = await kubectl(
      [
        ...['patch', 'escalation', escalation, '-n', FALLBACK, '--subresource=status'],
        ...['--type=merge', '-p', '{"status":{"level":1}}'],
      ],
      { as: 'system:serviceaccount:ev-oos:oos-ev' },
    );
    expect(operator.stderr).toBe('');
    expect(operator.code).toBe(0);
  });

  it('lets a namespace being deleted take its escalations with it', async () => {
    await kubectlOk(['delete', 'namespace', FALLBACK, '--timeout=120s'], MALLORY);
    expect((await kubectl(['get', 'namespace', FALLBACK])).code).not.toBe(0);
  });
});

describe('the fallback policy governs the labels that choose enforcement with no webhook running', () => {
  const POLICY = 'oos-ev-governed-namespace-labels';
  const TARGET = 'ev-fb-team';
  const labelled = (name: string, labels: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { ${labels} } }
`;

  beforeAll(async () => {
    await installCrds();
    await removeWebhooks();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], {
      stdin: `${adminBinding('ev-fb-ns-admin', ATTACKERS)}\n---\n${labelled(TARGET, 'ev-tier: prod')}\n---\n${policy}`,
    });
    await kubectlOk(['apply', '-f', '-'], {
      stdin: await renderEvidencePolicy('fallback-namespaces.yaml'),
    });
    await waitFor('the namespace-label policy to be active', async () => {
      const result = await kubectl(
        ['label', 'namespace', TARGET, 'environment=ev-sandbox', '--dry-run=server'],
        MALLORY,
      );
      if (result.code !== 0 && result.stderr.includes('NamespaceLabelGoverned')) return true;
      const live = await kubectl(['get', 'validatingadmissionpolicy', POLICY, '-o', 'json']);
      throw new Error(`${result.code} ${result.stderr} ${live.stdout.slice(-1500)}`);
    });
  });

  afterAll(async () => {
    await kubectl([
      'delete',
      'validatingadmissionpolicybinding,validatingadmissionpolicy',
      POLICY,
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'namespace', TARGET, 'ev-fb-new', 'ev-fb-free', '--wait=false']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'ev-fb-ns-admin', '--ignore-not-found']);
  });

  it('compiles without type-checking warnings', () => expectTypeChecked(POLICY));

  it('refuses adding, changing or removing a governed label, and creating a namespace with one', async () => {
    const attempts = [
      ['label', 'namespace', TARGET, 'environment=ev-sandbox'],
      ['label', 'namespace', TARGET, 'ev-tier=dev', '--overwrite'],
      ['label', 'namespace', TARGET, 'ev-tier-'],
    ];
    for (const attempt of attempts) {
      const result = await kubectl(attempt, MALLORY);
      refused(result, 'NamespaceLabelGoverned');
      expect(result.stderr).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    }
    refused(
      await kubectl(['apply', '-f', '-'], {
        stdin: labelled('ev-fb-new', 'environment: ev-sandbox'),
        ...MALLORY,
      }),
      'NamespaceLabelGoverned',
    );
    const stored = await getJson<{ metadata: { labels: Record<string, string> } }>([
      'namespace',
      TARGET,
    ]);
    expect(stored.metadata.labels).toMatchObject({ 'ev-tier': 'prod' });
    expect(stored.metadata.labels).not.toHaveProperty('environment');
  });

  it('leaves other labels alone, and lets a governance admin change governed ones', async () => {
    await kubectlOk(['label', 'namespace', TARGET, 'team=payments'], MALLORY);
    await kubectlOk(['apply', '-f', '-'], {
      stdin: labelled('ev-fb-free', 'team: ml'),
      ...MALLORY,
    });
    await kubectlOk(['label', 'namespace', TARGET, 'ev-tier=dev', '--overwrite'], GINA);
  });
});
