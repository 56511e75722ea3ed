import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from './check.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const DATA = 'cli/testdata/interactions';
const ROLES = 'samples/10-accountable-roles.yaml';
const ADMIN = { username: 'gina', groups: ['governance-board'] };

function run(
  files: readonly string[],
  governance: readonly string[],
  identity = ADMIN,
  stdin = '',
): Promise<CheckResult[]> {
  return check(
    { files, governance, now: NOW, identity, namespaceLabels: new Map() },
    { readStdin: () => Promise.resolve(stdin) },
  );
}

function byName(results: readonly CheckResult[]): Record<string, CheckResult> {
  return Object.fromEntries(results.map((result) => [result.name ?? '', result]));
}

describe('oos check over interactions', () => {
  it('refuses what admission refuses, warns of what waits, and names who must answer', async () => {
    const results = byName(
      await run([`${DATA}/capabilities.yaml`], [ROLES, `${DATA}/policy.yaml`]),
    );
    expect(results['invoice-triage']).toMatchObject({
      allowed: true,
      reason: 'Authorized',
      warnings: [],
    });
    expect(results['invoice-triage']?.interactions).toEqual([
      {
        direction: 'Calls',
        peer: 'risk-ai/fraud-scoring',
        state: 'Agreed',
        message: 'agreed by both sides on 8080/TCP',
        refusal: null,
      },
      expect.objectContaining({ direction: 'Egress', peer: 'llm', state: 'Agreed', refusal: null }),
    ]);
    // One side only: the warning names the role that must add its side.
    expect(results['fraud-scoring']).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(results['fraud-scoring']?.warnings).toEqual([
      expect.stringMatching(
        /^WaitingForPeer: risk-ai\/fraud-scoring accepts calls from risk-ai\/month-end-report, .*AccountableRole accounts-payable-lead .*interactions\.calls\.$/,
      ),
    ]);
    // The side that must answer hears of it too, besides its own peer not found.
    expect(results['month-end-report']?.allowed).toBe(true);
    expect(results['month-end-report']?.warnings).toEqual([
      expect.stringMatching(/^PeerNotFound: no Capability risk-ai\/ledger/),
      expect.stringMatching(
        /^WaitingForPeer: risk-ai\/fraud-scoring accepts calls from risk-ai\/month-end-report/,
      ),
    ]);
    expect(results['payment-agent']).toMatchObject({
      allowed: false,
      reason: 'InteractionForbidden',
    });
    expect(results['payment-agent']?.message).toContain('autonomous-to-high');
    expect(results['payment-agent']?.message).toContain('(Supervised, High risk)');
    expect(results['ticket-summarizer']).toMatchObject({
      allowed: false,
      reason: 'InteractionForbidden',
    });
    expect(results['ticket-summarizer']?.message).toContain('minimal-stays-inside');
    expect(results.scraper).toMatchObject({ allowed: false, reason: 'EndpointNotFound' });
    expect(results.scraper?.message).toContain('paste-site');
  });

  it('takes the peers from the governance too, and a manifest over the same capability', async () => {
    // Only payment-agent is checked; fraud-scoring (High) comes from the governance.
    const agent = `apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: {name: payment-agent, namespace: risk-ai}
spec:
  description: Pays invoices.
  intendedUse: Pays what a clerk approved.
  accountableRole: accounts-payable-lead
  autonomy: Autonomous
  riskTier: Limited
  interactions:
    calls: [{namespace: risk-ai, capability: fraud-scoring, ports: [{port: 8080}], justification: A check.}]
`;
    const [refused] = await run(
      ['-'],
      [ROLES, `${DATA}/policy.yaml`, `${DATA}/capabilities.yaml`],
      ADMIN,
      agent,
    );
    expect(refused).toMatchObject({ allowed: false, reason: 'InteractionForbidden' });
    // The same agent, now Supervised in the manifest: the governance's Autonomous one is replaced.
    const [allowed] = await run(
      ['-'],
      [ROLES, `${DATA}/policy.yaml`, `${DATA}/capabilities.yaml`],
      ADMIN,
      agent.replace('autonomy: Autonomous', 'autonomy: Supervised'),
    );
    expect(allowed).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(allowed?.warnings).toEqual([
      expect.stringMatching(
        /^WaitingForPeer: risk-ai\/payment-agent calls risk-ai\/fraud-scoring, which does not accept it: .*credit-risk-officer/,
      ),
    ]);
  });

  it('applies the built-in defaults without a GovernancePolicy: no catalogue, nothing forbidden', async () => {
    const carol = { username: 'carol', groups: [] };
    const results = byName(await run([`${DATA}/capabilities.yaml`], [ROLES], carol));
    // No catalogue: every endpoint is missing, as admission would find it.
    expect(results['invoice-triage']).toMatchObject({ allowed: false, reason: 'EndpointNotFound' });
    // Nothing forbidden: the agent's call only waits for fraud-scoring's role.
    expect(results['payment-agent']).toMatchObject({ allowed: true, reason: 'Authorized' });
    expect(results['payment-agent']?.warnings).toEqual([
      expect.stringMatching(/^WaitingForPeer: .*credit-risk-officer/),
    ]);
    expect(results['ticket-summarizer']).toMatchObject({ allowed: true, warnings: [] });
    // The first failure decides: carol does not hold credit-risk-officer; the warnings stay.
    expect(results['fraud-scoring']).toMatchObject({ allowed: false, reason: 'NotRoleHolder' });
    expect(results['fraud-scoring']?.warnings).toHaveLength(2);
  });

  it('leaves every object that is not a Capability as it was', async () => {
    const results = await run(
      ['cli/testdata/workloads/web.yaml'],
      [ROLES, `${DATA}/policy.yaml`, `${DATA}/capabilities.yaml`],
    );
    expect(results.map((result) => [result.kind, result.reason, result.interactions])).toEqual([
      ['Deployment', 'NotAIWorkload', []],
      ['ConfigMap', 'NotAIWorkload', []],
    ]);
  });
});
