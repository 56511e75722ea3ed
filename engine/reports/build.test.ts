import { describe, expect, it } from 'vitest';
import { auditWorkload, type Finding } from '../escalation/audit.js';
import {
  anchoredOptions,
  capability,
  delegation,
  deployment,
  exemption,
  holder,
  NOW,
  role,
  ROLE,
  snapshot,
} from '../testing/fixtures.js';
import { buildReports, CLUSTER_REPORT_NAME, REPORT_NAME } from './build.js';
import type { ReportResult } from './openreports.js';

type Snapshot = ReturnType<typeof snapshot>;

function findings(snap: Snapshot, ...objects: Record<string, unknown>[]): Finding[] {
  return objects.flatMap((object) => auditWorkload(object, snap, undefined, NOW) ?? []);
}

function resultFor(results: readonly ReportResult[], name: string): ReportResult {
  const found = results.find((result) => result.resources[0]?.name === name);
  if (found === undefined) throw new Error(`no result for ${name}`);
  return found;
}

const anchored = deployment({ ...anchoredOptions, name: 'chat' });
const loose = deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' });

describe('the OpenReports of the audit', () => {
  it('writes one Report per namespace with one result per AI workload, from the chain', () => {
    const snap = snapshot();
    const other = deployment({ name: 'vllm', namespace: 'lab', image: 'vllm/vllm-openai:1' });
    const built = buildReports(findings(snap, anchored, loose, other), snap, NOW);
    expect(built.reports.map((r) => [r.metadata.namespace, r.metadata.name, r.kind])).toEqual([
      ['lab', REPORT_NAME, 'Report'],
      ['ml', REPORT_NAME, 'Report'],
    ]);
    const ml = built.reports[1];
    expect(ml?.scope).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'ml' });
    expect(ml?.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(ml?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'oos' });
    const pass = resultFor(ml?.results ?? [], 'chat');
    expect(pass).toMatchObject({
      source: 'oos',
      policy: 'anchor-chain',
      rule: 'anchored',
      result: 'pass',
      severity: 'medium',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'chat' }],
      timestamp: { seconds: NOW.getTime() / 1000, nanos: 0 },
      properties: {
        reason: 'Anchored',
        enforcement: 'Enforce',
        capability: 'chat-assistant',
        capabilityLabel: 'chat-assistant',
        autonomy: 'Supervised',
        riskTier: 'Limited',
        accountableRole: ROLE,
        holders: 'alice (attested until 2027-01-01T00:00:00Z)',
        delegation: 'chat-assistant-chat-bot',
        serviceAccount: 'chat-bot',
        delegationValidUntil: '2026-07-01T00:00:00Z',
      },
    });
    expect(pass.message).toContain('is anchored');
    const fail = resultFor(ml?.results ?? [], 'vllm');
    expect(fail).toMatchObject({
      rule: 'anchor',
      result: 'fail',
      // No capability, so no risk tier: an unclassified AI workload is treated as high risk.
      severity: 'high',
      properties: { reason: 'AnchorMissing', enforcement: 'Enforce' },
    });
    expect(fail.properties.capability).toBeUndefined();
    // Failures come first, so a report cut to its bound keeps what needs action.
    expect(ml?.results.map((r) => r.result)).toEqual(['fail', 'pass']);
  });

  it('names the step that decided and the severity of the risk tier', () => {
    const snap = snapshot({
      capabilities: [capability('chat-assistant', { riskTier: 'High' })],
      delegations: [delegation(undefined, { revoked: true })],
    });
    const [result] = buildReports(findings(snap, anchored), snap, NOW).reports[0]?.results ?? [];
    expect(result).toMatchObject({
      rule: 'delegation',
      result: 'fail',
      severity: 'high',
      properties: { reason: 'DelegationRevoked', riskTier: 'High' },
    });
  });

  it('keeps the underlying verdict, the Exemption and its people on an exempted workload', () => {
    const snap = snapshot({
      exemptions: [exemption('incident-42', { scope: { names: ['vllm'] } })],
    });
    const [result] = buildReports(findings(snap, loose), snap, NOW).reports[0]?.results ?? [];
    expect(result).toMatchObject({
      rule: 'exemption',
      result: 'skip',
      properties: {
        reason: 'Exempted',
        exemptedBy: 'Exemption',
        exemption: 'ml/incident-42',
        exemptionRequestedBy: 'carol',
        exemptionApprovedBy: 'alice',
        exemptionExpiresAt: '2026-06-10T00:00:00Z',
        underlyingResult: 'fail',
        underlyingRule: 'anchor',
        underlyingReason: 'AnchorMissing',
      },
    });
    expect(result?.properties.underlyingMessage).toContain('oos.dev/capability');
  });

  it('keeps the chain of an exempted workload that would pass, and marks an exempt namespace', () => {
    const snap = snapshot({
      exemptions: [exemption('incident-7', { scope: { names: ['chat'] } })],
    });
    const [covered] = buildReports(findings(snap, anchored), snap, NOW).reports[0]?.results ?? [];
    expect(covered).toMatchObject({
      result: 'skip',
      properties: {
        underlyingResult: 'pass',
        underlyingReason: 'Anchored',
        capability: 'chat-assistant',
        accountableRole: ROLE,
        delegation: 'chat-assistant-chat-bot',
      },
    });
    const system = deployment({ name: 'vllm', namespace: 'oos-system', image: 'vllm/vllm:1' });
    const [exempt] = buildReports(findings(snap, system), snap, NOW).reports[0]?.results ?? [];
    expect(exempt).toMatchObject({
      rule: 'exempt-namespace',
      result: 'skip',
      properties: { exemptedBy: 'ExemptNamespace', underlyingReason: 'AnchorMissing' },
    });
    expect(exempt?.properties.exemption).toBeUndefined();
  });

  it('warns when the anchor lapses within the escalation lead time', () => {
    const snap = snapshot({
      delegations: [delegation(undefined, { validUntil: '2026-06-05T00:00:00Z' })],
    });
    const [result] = buildReports(findings(snap, anchored), snap, NOW).reports[0]?.results ?? [];
    expect(result).toMatchObject({ result: 'warn', rule: 'anchored' });
    expect(result?.message).toContain('ends at 2026-06-05T00:00:00Z');
    const attested = snapshot({ roles: [role(ROLE, [holder('alice', '2026-06-03T00:00:00Z')])] });
    const [lapsing] =
      buildReports(findings(attested, anchored), attested, NOW).reports[0]?.results ?? [];
    expect(lapsing).toMatchObject({ result: 'warn' });
    expect(lapsing?.message).toContain('attest a holder again');
  });

  it('reports every AccountableRole in one ClusterReport: held, lapsing or vacant', () => {
    const snap = snapshot({
      roles: [
        role(),
        role('chief-risk-officer', [holder('dana', '2026-06-02T00:00:00Z')]),
        role('ethics-board', []),
      ],
    });
    const cluster = buildReports([], snap, NOW).cluster;
    expect(cluster?.metadata).toMatchObject({ name: CLUSTER_REPORT_NAME });
    expect(cluster?.metadata.namespace).toBeUndefined();
    expect(cluster?.summary).toEqual({ pass: 1, fail: 1, warn: 1, error: 0, skip: 0 });
    expect(cluster?.results.map((r) => [r.resources[0]?.name, r.result, r.severity])).toEqual([
      ['ethics-board', 'fail', 'info'],
      ['chief-risk-officer', 'warn', 'info'],
      [ROLE, 'pass', 'medium'],
    ]);
    expect(buildReports([], snapshot({ roles: [] }), NOW).cluster).toBeUndefined();
  });

  it('gives no Report to a namespace without AI workloads, and is deterministic', () => {
    const snap = snapshot();
    expect(buildReports([], snap, NOW).reports).toEqual([]);
    const a = buildReports(findings(snap, loose, anchored), snap, NOW);
    const b = buildReports(findings(snap, anchored, loose), snap, NOW);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('cuts a large namespace to its bound, keeping failures and counting everything', () => {
    const snap = snapshot();
    const many = Array.from({ length: 30 }, (_, i) =>
      deployment({ ...anchoredOptions, name: `chat-${String(i).padStart(2, '0')}` }),
    );
    const built = buildReports(findings(snap, ...many, loose), snap, NOW, {
      maxResults: 10,
      maxBytes: 1_000_000,
    });
    const report = built.reports[0];
    expect(report?.results).toHaveLength(10);
    expect(report?.results[0]?.resources[0]?.name).toBe('vllm');
    expect(report?.summary).toEqual({ pass: 30, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(report?.metadata.annotations).toEqual({ 'oos.dev/results-omitted': '21' });
    expect(report?.configuration).toEqual({ limits: { maxResults: 10 } });
    const bytes = buildReports(findings(snap, ...many), snap, NOW, {
      maxResults: 1000,
      maxBytes: 4000,
    }).reports[0];
    expect(JSON.stringify(bytes?.results).length).toBeLessThanOrEqual(4000);
    expect(bytes?.results.length).toBeGreaterThan(0);
    expect(Number(bytes?.metadata.annotations['oos.dev/results-omitted'])).toBe(
      30 - (bytes?.results.length ?? 0),
    );
  });
});
