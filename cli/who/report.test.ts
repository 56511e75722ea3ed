import { describe, expect, it } from 'vitest';
import { exemptionDigest } from '../../engine/exemption-digest.js';
import type { JsonRecord } from '../../engine/json.js';
import { API, capability, deployment, NOW, NS, raw, role } from '../cluster/fixtures.js';
import { buildClusterView } from '../cluster/view.js';
import { mineReport } from './mine.js';
import { whoReport } from './report.js';
import { formatMine, formatWho } from './text.js';

const escalation: JsonRecord = {
  apiVersion: API,
  kind: 'Escalation',
  metadata: { name: 'delegation-expiring-summarizer', namespace: NS },
  spec: {
    trigger: 'DelegationExpiring',
    severity: 'Warning',
    subject: { apiVersion: API, kind: 'Delegation', name: 'summarizer-bot', namespace: NS },
    capability: 'summarizer',
    accountableRole: 'ops',
    summary: 'The delegation to bot ends in 19 days.',
    acknowledged: false,
  },
  status: { level: 1, notifiedRoles: ['ops'] },
};

const exemptionSpec = {
  capability: 'summarizer',
  scope: { names: ['bench'] },
  justification: 'A one-off benchmark.',
  expiresAt: '2026-12-05T00:00:00Z',
  requestedBy: 'dan',
};

const pendingExemption: JsonRecord = {
  apiVersion: API,
  kind: 'Exemption',
  metadata: { name: 'bench', namespace: NS, creationTimestamp: '2026-11-30T00:00:00Z' },
  spec: { ...exemptionSpec, approved: false },
};

const view = (extra: Record<string, JsonRecord[]> = {}, now = NOW) =>
  buildClusterView(raw({ governance: { ...raw().governance, ...extra } }), {}, now);

/** In the capability, but its ServiceAccount has no Delegation: only an Exemption admits it. */
const bench = deployment('bench', { 'oos.dev/capability': 'summarizer' }, 'bench-runner');

const workload = (name: string) =>
  raw().workloads.find((w) => (w.metadata as { name: string }).name === name) ?? {};

describe('whoReport', () => {
  it('gives the whole chain of an anchored workload and the decision admission makes now', () => {
    const report = whoReport(view({ Escalation: [escalation] }), workload('anchored'));
    expect(report.warnings).toEqual([]);
    expect(report.anchored).toBe(true);
    expect(report.decision).toMatchObject({ allowed: true, reason: 'Anchored', mode: 'Enforce' });
    expect(report.capability).toMatchObject({
      namespace: NS,
      name: 'summarizer',
      exists: true,
      autonomy: 'Advisory',
      riskTier: 'Minimal',
      suspended: false,
    });
    expect(report.accountableRole).toMatchObject({ name: 'ops', vacant: false });
    expect(report.accountableRole?.holders).toEqual([
      {
        user: 'erin',
        name: 'Erin',
        email: 'erin@example.com',
        attestedUntil: '2027-06-01T00:00:00Z',
        current: true,
      },
    ]);
    expect(report.serviceAccounts).toEqual(['bot']);
    expect(report.delegations).toEqual([
      {
        namespace: NS,
        name: 'summarizer-bot',
        capability: 'summarizer',
        serviceAccount: 'bot',
        grantedBy: 'erin',
        validFrom: null,
        validUntil: '2026-12-20T00:00:00Z',
        state: 'Active',
      },
    ]);
    expect(report.escalations.map((e) => [e.name, e.level, e.acknowledged])).toEqual([
      ['delegation-expiring-summarizer', 1, false],
    ]);
    const text = formatWho(report);
    expect(text).toMatch(/^Deployment ml\/anchored {2}ANCHORED\n/);
    expect(text).toContain('granted by erin, until 2026-12-20T00:00:00Z (Active)');
  });

  it('says where the chain breaks for an unanchored workload', () => {
    const report = whoReport(view(), workload('stray'));
    expect(report.anchored).toBe(false);
    expect(report.decision).toMatchObject({ allowed: false, reason: 'AnchorMissing' });
    expect(report.capability).toBeNull();
    expect(report.delegations).toEqual([]);
    expect(formatWho(report)).toContain('NOT ANCHORED');
  });

  it('lists the pending exemption that would admit a workload without a delegation', () => {
    const report = whoReport(view({ Exemption: [pendingExemption] }), bench);
    expect(report.warnings).toEqual([]);
    expect(report.anchored).toBe(false);
    expect(report.decision.reason).toBe('DelegationMissing');
    expect(report.serviceAccounts).toEqual(['bench-runner']);
    expect(report.exemptions).toMatchObject([
      { name: 'bench', state: 'PendingApproval', requestedBy: 'dan', approvedBy: null },
    ]);
  });

  it('shows a vacant role once the only attestation has lapsed', () => {
    const later = new Date('2027-07-01T00:00:00Z');
    const report = whoReport(view({}, later), workload('anchored'));
    expect(report.decision.reason).toBe('AccountabilityVacant');
    expect(report.accountableRole).toMatchObject({ vacant: true });
    expect(report.accountableRole?.holders[0]?.current).toBe(false);
  });

  it('shows a suspended capability', () => {
    const suspended = capability('summarizer', {
      suspend: true,
      suspendedBy: 'erin',
      suspendReason: 'Drift found.',
    });
    const report = whoReport(view({ Capability: [suspended] }), workload('anchored'));
    expect(report.decision.reason).toBe('CapabilitySuspended');
    expect(report.capability).toMatchObject({ suspended: true, suspendedBy: 'erin' });
    expect(formatWho(report)).toContain('SUSPENDED (ScaleToZero by erin: Drift found.)');
  });

  it('counts an approved exemption as anchoring', () => {
    const approved: JsonRecord = {
      ...pendingExemption,
      spec: {
        ...exemptionSpec,
        approved: true,
        approvedBy: 'erin',
        approvedDigest: exemptionDigest(exemptionSpec),
      },
    };
    const report = whoReport(view({ Exemption: [approved] }), bench);
    expect(report.decision.reason).toBe('Exempted');
    expect(report.anchored).toBe(true);
    expect(report.exemptions).toMatchObject([{ state: 'Active', approvedBy: 'erin' }]);
  });
});

describe('whoReport interactions', () => {
  const tcp = (port: number) => ({ port, protocol: 'TCP' });
  const because = 'The summaries need scores.';
  /** summarizer calls scorer (agreed) and drafts (declared by the caller only), reaches out. */
  const interactions = view({
    Capability: [
      capability('summarizer', {
        interactions: {
          posture: 'Closed',
          calls: [
            { namespace: NS, capability: 'scorer', ports: [tcp(8080)], justification: because },
            { namespace: NS, capability: 'drafts', ports: [tcp(9000)], justification: because },
          ],
          clients: [
            {
              name: 'web',
              namespace: NS,
              podSelector: { matchLabels: { app: 'web' } },
              ports: [tcp(8000)],
              justification: 'The web front end.',
            },
          ],
          egress: [
            {
              name: 'weather',
              cidrs: ['203.0.113.0/24'],
              ports: [tcp(443)],
              justification: because,
            },
            { name: 'llm', endpoint: 'model-provider', justification: because },
          ],
        },
      }),
      capability('scorer', {
        interactions: {
          acceptsFrom: [{ namespace: NS, capability: 'summarizer', justification: because }],
        },
      }),
      capability('drafts'),
      capability('auditor', {
        interactions: {
          calls: [
            { namespace: NS, capability: 'summarizer', ports: [tcp(7000)], justification: because },
          ],
        },
      }),
    ],
  });

  it('lists the calls, callers, clients and egress of the capability, each with its state', () => {
    const report = whoReport(interactions, workload('anchored'));
    expect(report.interactions?.posture).toBe('Closed');
    expect(report.interactions?.calls).toEqual([
      {
        peer: 'ml/drafts',
        ports: ['9000/TCP'],
        state: 'WaitingForPeer',
        declaredBy: 'Caller',
        mustAnswer: 'ops',
        waitingFor: 'ml/drafts',
        message: expect.stringContaining("to ml/drafts's interactions.acceptsFrom") as string,
      },
      {
        peer: 'ml/scorer',
        ports: ['8080/TCP'],
        state: 'Agreed',
        declaredBy: 'Both',
        mustAnswer: null,
        waitingFor: null,
        message: 'agreed by both sides on 8080/TCP',
      },
    ]);
    // auditor calls summarizer, which does not accept it: summarizer's role must answer.
    expect(report.interactions?.calledBy).toMatchObject([
      {
        peer: 'ml/auditor',
        state: 'WaitingForPeer',
        mustAnswer: 'ops',
        waitingFor: 'ml/summarizer',
      },
    ]);
    expect(report.interactions?.clients).toEqual([
      {
        name: 'web',
        namespace: NS,
        podSelector: { matchLabels: { app: 'web' } },
        ports: ['8000/TCP'],
        justification: 'The web front end.',
      },
    ]);
    // No GovernancePolicy: an empty catalogue, so the endpoint is not found.
    expect(report.interactions?.egress).toMatchObject([
      {
        name: 'weather',
        endpoint: null,
        cidrs: ['203.0.113.0/24'],
        ports: ['443/TCP'],
        state: 'Agreed',
      },
      { name: 'llm', endpoint: 'model-provider', cidrs: [], ports: [], state: 'PeerNotFound' },
    ]);
    const text = formatWho(report);
    expect(text).toContain('  posture       Closed (only DNS, agreed edges');
    expect(text).toContain(
      '  calls         ml/drafts on 9000/TCP  WaitingForPeer: ml/summarizer calls',
    );
    expect(text).toContain('                ml/scorer on 8080/TCP  Agreed\n');
    expect(text).toContain('  called by     ml/auditor on 7000/TCP  WaitingForPeer: ');
    expect(text).toContain('  clients       web in namespace ml on 8000/TCP\n');
    expect(text).toContain('  egress        weather (203.0.113.0/24) on 443/TCP  Agreed\n');
    expect(text).toContain('llm (endpoint model-provider)  PeerNotFound: endpoint model-provider');
  });

  it('lists for a holder the edges that wait for their role to answer (oos mine)', () => {
    const mine = mineReport(interactions, 'erin');
    expect(
      mine.interactionsToAnswer.map((edge) => [edge.caller, edge.callee, edge.waitingFor]),
    ).toEqual([
      ['ml/auditor', 'ml/summarizer', 'ml/summarizer'],
      ['ml/summarizer', 'ml/drafts', 'ml/drafts'],
    ]);
    expect(mine.interactionsToAnswer[0]).toMatchObject({ peer: 'ml/auditor', mustAnswer: 'ops' });
    expect(formatMine(mine)).toContain(
      '  to answer     ml/auditor -> ml/summarizer on 7000/TCP  WaitingForPeer (ops for ml/summarizer): ',
    );
    expect(mineReport(interactions, 'nobody').interactionsToAnswer).toEqual([]);
  });

  it('has none without a capability, and empty lists for a capability that declares none', () => {
    expect(whoReport(interactions, workload('stray')).interactions).toBeNull();
    const plain = whoReport(view(), workload('anchored'));
    expect(plain.interactions).toEqual({
      posture: 'Open',
      calls: [],
      calledBy: [],
      clients: [],
      egress: [],
    });
    expect(formatWho(plain)).toContain('  calls         none\n');
  });
});

describe('mineReport', () => {
  it('lists what a holder is accountable for', () => {
    const report = mineReport(
      view({ Escalation: [escalation], Exemption: [pendingExemption] }),
      'erin',
    );
    expect(report.roles).toEqual([
      {
        name: 'ops',
        title: 'Operations Lead',
        attestedUntil: '2027-06-01T00:00:00Z',
        current: true,
      },
    ]);
    expect(report.capabilities.map((c) => [c.name, c.accountableRole])).toEqual([
      ['summarizer', 'ops'],
    ]);
    expect(report.delegationsGranted.map((d) => [d.name, d.state])).toEqual([
      ['summarizer-bot', 'Active'],
    ]);
    expect(report.escalations.map((e) => [e.name, e.why])).toEqual([
      ['delegation-expiring-summarizer', 'accountable'],
    ]);
    expect(report.exemptionsAwaitingApproval.map((e) => e.name)).toEqual(['bench']);
    expect(formatMine(report)).toMatch(
      /^erin is accountable for\n {2}roles {9}ops "Operations Lead"/,
    );
  });

  it('lists nothing for someone who holds no role', () => {
    const report = mineReport(view({ Escalation: [escalation] }), 'dan');
    expect(report).toMatchObject({
      user: 'dan',
      roles: [],
      capabilities: [],
      delegationsGranted: [],
      escalations: [],
      exemptionsAwaitingApproval: [],
    });
  });

  it('never asks the requester to approve their own exemption', () => {
    const report = mineReport(
      view({ Exemption: [pendingExemption], AccountableRole: [withDan()] }),
      'dan',
    );
    expect(report.roles.map((r) => r.name)).toEqual(['ops']);
    expect(report.exemptionsAwaitingApproval).toEqual([]);
  });
});

function withDan(): JsonRecord {
  const spec = role.spec as { holders: unknown[] };
  return {
    ...role,
    spec: {
      ...spec,
      holders: [
        ...spec.holders,
        {
          name: 'Dan',
          email: 'dan@example.com',
          user: 'dan',
          attestedUntil: '2027-06-01T00:00:00Z',
        },
      ],
    },
  };
}

// deployment() is shared with the view's tests; keep the import used by one direct check.
it('reads a workload it is handed directly (not from the view)', () => {
  const direct = deployment('direct', { 'oos.dev/capability': 'summarizer' });
  expect(whoReport(view(), direct).decision.reason).toBe('Anchored');
});
