import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemptionSchema } from '../../api/index.js';
import { exemptionDigest } from '../../engine/exemption-digest.js';
import {
  as,
  installCrds,
  isoIn,
  metric,
  peopleRbac,
  removeWebhooks,
  role,
  startController,
} from '../controller/support.js';
import { getJson, kubectl, kubectlOk } from '../support/kubectl.js';
import type { RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';
import { chartOpenReportsCrds } from './helm.js';

/**
 * The OpenReports the background audit writes (--reports), against the real apiserver with the
 * CRDs the chart installs: absent at first (the operator keeps working), then installed.
 */

const NS = 'reports-e2e';
const FORGED_NS = 'reports-e2e-forged';
const ROLE = 'reports-e2e-officer';
const ALICE = as('reports-e2e-alice');
const CAROL = as('reports-e2e-carol');
const CRDS = ['reports.openreports.io', 'clusterreports.openreports.io'];

const setup = `
${peopleRbac('reports-e2e-people')}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
${role(ROLE, ['reports-e2e-alice'])}
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: chat-bot, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: chat, namespace: ${NS} }
spec:
  description: Answers customer questions.
  intendedUse: Drafts replies that an agent reviews.
  accountableRole: ${ROLE}
  autonomy: Supervised
  riskTier: High
`;

const delegation = `
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: chat-bot, namespace: ${NS} }
spec:
  capability: chat
  serviceAccount: chat-bot
  validUntil: '${isoIn(30 * 86_400_000)}'
  justification: The chat Deployment runs as this ServiceAccount.
`;

const exemption = `
apiVersion: oos.dev/v1alpha1
kind: Exemption
metadata: { name: incident, namespace: ${NS} }
spec:
  capability: chat
  scope: { names: [debugger] }
  justification: Debugging a production incident without a delegation.
  expiresAt: '${isoIn(7 * 86_400_000)}'
`;

const policy = (enforcement: string): string => `
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: ${enforcement}
`;

function deployment(name: string, labels: string, serviceAccount = 'default'): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { app: ${name}${labels} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}${labels} } }
    spec:
      serviceAccountName: ${serviceAccount}
      containers: [{ name: model, image: 'vllm/vllm-openai:v0.6.3' }]
`;
}

const workloads = [
  deployment('chat', ', oos.dev/capability: chat', 'chat-bot'),
  deployment('rogue', ''),
  deployment('debugger', ', oos.dev/capability: chat'),
].join('\n---\n');

interface Result {
  policy: string;
  rule: string;
  result: string;
  severity: string;
  source: string;
  message: string;
  resources: { kind: string; name: string; namespace: string }[];
  properties: Record<string, string>;
}
interface Report {
  metadata: { name: string; uid: string; labels?: Record<string, string> };
  source: string;
  summary: Record<string, number>;
  results?: Result[];
}

async function report(): Promise<Report | undefined> {
  const got = await kubectl([
    'get',
    'reports.openreports.io',
    'oos-accountability',
    '-n',
    NS,
    '-o',
    'json',
  ]);
  return got.code === 0 ? (JSON.parse(got.stdout) as Report) : undefined;
}

function resultOf(found: Report | undefined, name: string): Result | undefined {
  return found?.results?.find((r) => r.resources[0]?.name === name);
}

/** Waits until the Report holds exactly these workloads, with these outcomes. */
function waitForResults(expected: Record<string, string>, what: string): Promise<Report> {
  return waitFor(
    what,
    async () => {
      const found = await report();
      const outcomes = Object.fromEntries(
        (found?.results ?? []).map((r) => [r.resources[0]?.name ?? '', r.result]),
      );
      return JSON.stringify(outcomes, Object.keys(outcomes).sort()) ===
        JSON.stringify(expected, Object.keys(expected).sort())
        ? found
        : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

let operator: RunningOperator;

describe('OpenReports of the background audit', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectl(['delete', 'crd', ...CRDS, '--ignore-not-found']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: policy('Audit') });
    // The webhook stamps grantedBy, requestedBy and approvedBy: an unstamped approval never counts.
    operator = await startController(['--reports', '--audit-interval', '3s']);
    await kubectlOk(['apply', '-f', '-'], { stdin: delegation, ...ALICE });
    await kubectlOk(['apply', '-f', '-'], { stdin: exemption, ...CAROL });
    const reviewed = exemptionSchema.parse(await getJson(['exemption', 'incident', '-n', NS]));
    const approval = { spec: { approved: true, approvedDigest: exemptionDigest(reviewed.spec) } };
    await kubectlOk(
      ['patch', 'exemption', 'incident', '-n', NS, '--type=merge', '-p', JSON.stringify(approval)],
      ALICE,
    );
    await kubectlOk(['apply', '-f', '-'], { stdin: workloads, ...CAROL });
  });

  afterAll(async () => {
    await operator.stop();
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, FORGED_NS, '--wait=false', '--ignore-not-found']);
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'accountablerole', ROLE, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', 'reports-e2e-people', '--ignore-not-found']);
    await kubectl(['delete', 'crd', ...CRDS, '--ignore-not-found', '--wait=false']);
  });

  it('keeps auditing without the OpenReports CRDs, and says so once', async () => {
    await waitFor('the audit to count the unanchored workload', async () =>
      (await metric(operator, 'oos_ai_workloads', {
        namespace: NS,
        capability: '',
        anchored: 'false',
      })) === 1
        ? true
        : undefined,
    );
    await waitFor('the missing CRD to be reported', async () =>
      (await metric(operator, 'oos_reports_crd_available', { kind: 'Report' })) === 0
        ? true
        : undefined,
    );
    const said = operator
      .logs()
      .split('\n')
      .filter((line) => line.includes('is not installed'));
    expect(said.filter((line) => line.includes('"kind":"Report"'))).toHaveLength(1);
  });

  it('writes a Report per namespace once the chart’s CRDs are installed: pass, fail and skip', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: await chartOpenReportsCrds() });
    const found = await waitForResults(
      { chat: 'pass', rogue: 'fail', debugger: 'skip' },
      'the Report with the three workloads',
    );
    expect(found.source).toBe('oos');
    expect(found.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'oos' });
    expect(found.summary).toMatchObject({ pass: 1, fail: 1, skip: 1, warn: 0, error: 0 });
    expect(resultOf(found, 'chat')).toMatchObject({
      source: 'oos',
      policy: 'anchor-chain',
      rule: 'anchored',
      severity: 'high',
      resources: [{ kind: 'Deployment', name: 'chat', namespace: NS }],
      properties: {
        reason: 'Anchored',
        capability: 'chat',
        riskTier: 'High',
        autonomy: 'Supervised',
        accountableRole: ROLE,
        delegation: 'chat-bot',
        serviceAccount: 'chat-bot',
      },
    });
    expect(resultOf(found, 'chat')?.properties.holders).toContain(
      'reports-e2e-alice (attested until',
    );
    expect(resultOf(found, 'rogue')).toMatchObject({
      rule: 'anchor',
      result: 'fail',
      properties: { reason: 'AnchorMissing', enforcement: 'Audit' },
    });
  });

  it('keeps the underlying verdict of an exempted workload, with the Exemption and its people', async () => {
    const debuggerResult = resultOf(await report(), 'debugger');
    expect(debuggerResult).toMatchObject({
      rule: 'exemption',
      result: 'skip',
      properties: {
        reason: 'Exempted',
        exemptedBy: 'Exemption',
        exemption: `${NS}/incident`,
        exemptionRequestedBy: 'reports-e2e-carol',
        exemptionApprovedBy: 'reports-e2e-alice',
        underlyingResult: 'fail',
        underlyingRule: 'delegation',
        underlyingReason: 'DelegationMissing',
        capability: 'chat',
        accountableRole: ROLE,
      },
    });
    expect(debuggerResult?.properties.exemptionExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reports the AccountableRole in the ClusterReport', async () => {
    const cluster = await waitFor('the ClusterReport', async () => {
      const got = await kubectl([
        'get',
        'clusterreports.openreports.io',
        'oos-accountable-roles',
        '-o',
        'json',
      ]);
      return got.code === 0 ? (JSON.parse(got.stdout) as Report) : undefined;
    });
    const held = cluster.results?.find((r) => r.resources[0]?.name === ROLE);
    expect(held).toMatchObject({
      policy: 'accountable-roles',
      rule: 'holders',
      result: 'pass',
      severity: 'high',
    });
  });

  it('writes back a report someone edited or deleted', async () => {
    const forged = { summary: { pass: 3, fail: 0, skip: 0 }, results: [] };
    await kubectlOk([
      ...['patch', 'reports.openreports.io', 'oos-accountability', '-n', NS, '--type=merge'],
      ...['-p', JSON.stringify(forged)],
    ]);
    await waitForResults(
      { chat: 'pass', rogue: 'fail', debugger: 'skip' },
      'the edited Report to be repaired',
    );
    expect((await report())?.summary).toMatchObject({ pass: 1, fail: 1, skip: 1 });
    const before = (await report())?.metadata.uid;
    await kubectlOk(['delete', 'reports.openreports.io', 'oos-accountability', '-n', NS]);
    const recreated = await waitForResults(
      { chat: 'pass', rogue: 'fail', debugger: 'skip' },
      'the deleted Report to be written again',
    );
    expect(recreated.metadata.uid).not.toBe(before);
    expect(
      await metric(operator, 'oos_report_repairs_total', { kind: 'Report' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('deletes a report forged under its name where there is nothing to report', async () => {
    await kubectlOk(['create', 'namespace', FORGED_NS]);
    const forged = `
apiVersion: openreports.io/v1alpha1
kind: Report
metadata: { name: oos-accountability, namespace: ${FORGED_NS} }
source: oos
summary: { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 }
results:
  - { source: oos, policy: anchor-chain, rule: anchored, result: pass, message: All is well. }
`;
    await kubectlOk(['apply', '-f', '-'], { stdin: forged });
    await waitFor('the forged Report to be deleted', async () =>
      (await kubectl(['get', 'reports.openreports.io', 'oos-accountability', '-n', FORGED_NS]))
        .code !== 0
        ? true
        : undefined,
    );
  });

  it('removes the results of workloads that are gone, and the Report with the last one', async () => {
    await kubectlOk(['delete', 'deployment', 'rogue', '-n', NS]);
    const left = await waitForResults({ chat: 'pass', debugger: 'skip' }, 'the rogue result to go');
    expect(left.summary).toMatchObject({ pass: 1, fail: 0, skip: 1 });
    await kubectlOk(['delete', 'deployment', 'chat', 'debugger', '-n', NS]);
    await waitFor('the Report to be deleted', async () =>
      (await report()) === undefined ? true : undefined,
    );
  });
});
