import { describe, expect, it } from 'vitest';
import { LABEL_CAPABILITY } from '../../api/index.js';
import { auditWorkload, type Finding } from '../escalation/audit.js';
import {
  anchoredOptions,
  capability,
  delegation,
  deployment,
  escalation,
  exemption,
  governance,
  holder,
  NOW,
  OPERATOR_NAMESPACE,
  role,
  withSpec,
} from '../testing/fixtures.js';
import { buildSnapshot, type GovernanceObjects } from '../snapshot.js';
import { buildRegister, type RegisterInput } from './build.js';
import { chainView } from './chain.js';
import { filterRegister } from './filter.js';
import { capabilityRef, chainPath, parseChainPath } from './links.js';

const DAY = 86_400_000;
/** Exemptions of a benchmark Job, so they cover none of the Deployments audited here. */
const BENCHMARK = { scope: { kinds: [{ group: 'batch', kind: 'Job' }], names: ['benchmark'] } };

/** The fixture organisation plus a second namespace, escalations, an exemption and workloads. */
function organisation(overrides: Partial<GovernanceObjects> = {}): GovernanceObjects {
  const base = governance();
  return {
    ...base,
    roles: [
      ...(base.roles ?? []),
      role('fraud-lead', [holder('erin'), holder('frank', '2026-05-01T00:00:00Z')]),
    ],
    capabilities: [
      ...(base.capabilities ?? []),
      capability('fraud', { accountableRole: 'fraud-lead', riskTier: 'High' }, 'risk'),
      capability('orphan', { accountableRole: 'nobody-holds-this' }, 'risk'),
      withSpec(capability('paused', { delegationRequired: false }, 'risk'), {
        suspend: true,
        suspendedBy: 'mallory',
      }),
    ],
    delegations: [
      delegation(),
      delegation(
        'fraud-bot',
        { capability: 'fraud', serviceAccount: 'bot', grantedBy: 'erin' },
        'risk',
      ),
      delegation('old', { validUntil: '2026-05-02T00:00:00Z' }),
      delegation('later', { validFrom: '2026-06-05T00:00:00Z', serviceAccount: 'next' }),
      delegation('revoked', { revoked: true, serviceAccount: 'gone' }),
    ],
    escalations: [
      escalation(
        'delegation-expired',
        { accountableRole: 'model-risk-officer' },
        { level: 2, notifiedRoles: ['chief-risk-officer'] },
      ),
      escalation('done', {}, { resolvedAt: '2026-05-30T00:00:00Z' }),
      escalation(
        'unanchored',
        {
          trigger: 'UnanchoredWorkload',
          severity: 'Warning',
          subject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'risk', name: 'rogue' },
          capability: undefined,
          acknowledged: true,
          acknowledgedBy: 'erin',
        },
        { level: 1 },
        'risk',
      ),
    ],
    exemptions: [
      exemption('incident', BENCHMARK),
      exemption('pending', { approved: false, approvedBy: undefined }),
      exemption('expired', { expiresAt: '2026-05-31T00:00:00Z' }),
      exemption(
        'gpu',
        {
          ...BENCHMARK,
          capability: 'fraud',
          requestedBy: 'gina',
          approvedBy: 'erin',
        },
        'risk',
      ),
    ],
    ...overrides,
  };
}

function audit(
  objects: GovernanceObjects,
  workloads: readonly Record<string, unknown>[],
): Finding[] {
  const snapshot = buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE });
  return workloads.flatMap((workload) => auditWorkload(workload, snapshot, {}, NOW) ?? []);
}

function input(objects = organisation()): RegisterInput {
  const findings = audit(objects, [
    deployment({ ...anchoredOptions, name: 'chat' }),
    deployment({ ...anchoredOptions, name: 'chat-as-stranger', serviceAccount: 'stranger' }),
    deployment({ name: 'rogue', namespace: 'risk', image: 'vllm/vllm-openai:v0.6.3' }),
    deployment({ name: 'web', image: 'nginx:1.27' }),
    deployment({
      name: 'scorer',
      namespace: 'risk',
      image: 'vllm/vllm-openai:v0.6.3',
      labels: { [LABEL_CAPABILITY]: 'fraud' },
      templateLabels: { [LABEL_CAPABILITY]: 'fraud' },
      serviceAccount: 'bot',
    }),
  ]);
  return {
    snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
    objects,
    findings,
    now: NOW,
  };
}

describe('buildRegister', () => {
  const register = buildRegister(input());

  it('lists every capability with its role, holders, autonomy and risk tier', () => {
    expect(register.at).toBe('2026-06-01T12:00:00Z');
    expect(register.capabilities.map((row) => `${row.namespace}/${row.name}`)).toEqual([
      'ml/chat-assistant',
      'ml/forecasting',
      'risk/fraud',
      'risk/orphan',
      'risk/paused',
    ]);
    const chat = register.capabilities[0];
    expect(chat).toMatchObject({
      role: 'model-risk-officer',
      roleTitle: 'Model Risk Officer',
      autonomy: 'Supervised',
      riskTier: 'Limited',
      vacant: false,
      suspended: false,
      ready: true,
      readyReason: 'Anchored',
      activeDelegations: 1,
      openEscalations: 1,
      running: 2,
      anchored: 1,
    });
    expect(chat?.holders).toEqual([
      {
        user: 'alice',
        name: 'alice Person',
        attestedUntil: '2027-01-01T00:00:00Z',
        current: true,
        remainingMs: Date.parse('2027-01-01T00:00:00Z') - NOW.getTime(),
      },
      expect.objectContaining({ user: 'bob', current: false }),
    ]);
    // Only current holders are accountable people; bob's attestation lapsed.
    expect(chat?.people).toEqual(['alice']);
  });

  it('marks a capability vacant when its role is missing, and names who pressed the stop button', () => {
    const orphan = register.capabilities.find((row) => row.name === 'orphan');
    expect(orphan).toMatchObject({
      vacant: true,
      roleTitle: undefined,
      holders: [],
      people: [],
      ready: false,
      readyReason: 'AccountableRoleNotFound',
    });
    const paused = register.capabilities.find((row) => row.name === 'paused');
    expect(paused).toMatchObject({
      suspended: true,
      suspendedBy: 'mallory',
      ready: false,
      readyReason: 'SuspendedByHuman',
    });
    expect(paused?.readyMessage).toContain('Suspended by mallory');
    expect(paused?.people).toEqual(['alice', 'mallory']);
  });

  it('lists active and future delegations with the time left, not expired or revoked ones', () => {
    expect(register.delegations.map((row) => [row.name, row.state, row.remainingMs])).toEqual([
      ['chat-assistant-chat-bot', 'Active', Date.parse('2026-07-01T00:00:00Z') - NOW.getTime()],
      ['later', 'NotYetValid', Date.parse('2026-07-01T00:00:00Z') - NOW.getTime()],
      ['fraud-bot', 'Active', Date.parse('2026-07-01T00:00:00Z') - NOW.getTime()],
    ]);
    expect(register.delegations[2]).toMatchObject({
      capability: 'fraud',
      serviceAccount: 'bot',
      grantedBy: 'erin',
      validUntil: '2026-07-01T00:00:00Z',
      roles: ['fraud-lead'],
      people: ['erin'],
    });
  });

  it('lists open escalations with their level, not resolved ones', () => {
    expect(register.escalations.map((row) => [row.name, row.level, row.acknowledgedBy])).toEqual([
      ['delegation-expired', 2, undefined],
      ['unanchored', 1, 'erin'],
    ]);
    expect(register.escalations[0]).toMatchObject({
      roles: ['model-risk-officer', 'chief-risk-officer'],
      people: ['alice', 'dana'],
    });
  });

  it('lists exemptions in effect with requester and approver, not pending or expired ones', () => {
    expect(
      register.exemptions.map((row) => [row.namespace, row.name, row.requestedBy, row.approvedBy]),
    ).toEqual([
      ['ml', 'incident', 'carol', 'alice'],
      ['risk', 'gpu', 'gina', 'erin'],
    ]);
    expect(register.exemptions[1]).toMatchObject({
      target: 'risk',
      capability: 'fraud',
      expiresAt: '2026-06-10T00:00:00Z',
      remainingMs: Date.parse('2026-06-10T00:00:00Z') - NOW.getTime(),
      roles: ['fraud-lead'],
      people: ['erin', 'gina'],
    });
  });

  it('lists the unanchored workloads the audit found, not anchored or non-AI ones', () => {
    expect(
      register.findings.map((row) => [row.workload.kind, row.workload.name, row.reason]),
    ).toEqual([
      ['Deployment', 'chat-as-stranger', 'DelegationMissing'],
      ['Deployment', 'rogue', 'AnchorMissing'],
    ]);
    expect(register.findings[0]).toMatchObject({
      roles: ['model-risk-officer'],
      people: ['alice'],
    });
    expect(register.findings[1]).toMatchObject({ capability: undefined, roles: [], people: [] });
  });

  it('collects the namespaces, roles and people the filters offer', () => {
    expect(register.facets).toEqual({
      namespaces: ['ml', 'risk'],
      roles: ['chief-risk-officer', 'fraud-lead', 'model-risk-officer', 'nobody-holds-this'],
      people: ['alice', 'carol', 'dana', 'erin', 'gina', 'mallory'],
    });
  });

  it('ignores a holder whose attestation cannot be read (never current)', () => {
    const objects = organisation();
    const unreadable = { ...role('fraud-lead', [holder('erin')]) };
    const broken = {
      ...unreadable,
      spec: {
        ...unreadable.spec,
        holders: [{ ...unreadable.spec.holders[0], attestedUntil: 'soon' }],
      },
    } as typeof unreadable;
    const roles = (objects.roles ?? []).map((r) => (r.metadata.name === 'fraud-lead' ? broken : r));
    const fraud = buildRegister(input({ ...objects, roles })).capabilities.find(
      (row) => row.name === 'fraud',
    );
    expect(fraud).toMatchObject({ vacant: true, people: [] });
    expect(fraud?.holders[0]).toMatchObject({
      user: 'erin',
      attestedUntil: undefined,
      current: false,
    });
  });
});

describe('filterRegister', () => {
  const register = buildRegister(input());

  it('keeps every row without a filter', () => {
    expect(filterRegister(register, {})).toBe(register);
  });

  it('narrows to a namespace', () => {
    const risk = filterRegister(register, { namespace: 'risk' });
    expect(risk.capabilities.map((row) => row.name)).toEqual(['fraud', 'orphan', 'paused']);
    expect(risk.delegations.map((row) => row.name)).toEqual(['fraud-bot']);
    expect(risk.findings.map((row) => row.workload.name)).toEqual(['rogue']);
    expect(risk.facets).toEqual(register.facets);
  });

  it('narrows to a role, notified roles included', () => {
    const chief = filterRegister(register, { role: 'chief-risk-officer' });
    expect(chief.capabilities).toEqual([]);
    expect(chief.escalations.map((row) => row.name)).toEqual(['delegation-expired']);
  });

  it('narrows to what a person is accountable for or is named in', () => {
    const erin = filterRegister(register, { person: 'erin' });
    expect(erin.capabilities.map((row) => row.name)).toEqual(['fraud']);
    expect(erin.delegations.map((row) => row.name)).toEqual(['fraud-bot']);
    expect(erin.escalations.map((row) => row.name)).toEqual(['unanchored']);
    expect(erin.exemptions.map((row) => row.name)).toEqual(['gpu']);
    // frank's attestation lapsed: he answers for nothing now.
    expect(filterRegister(register, { person: 'frank' }).capabilities).toEqual([]);
  });

  it('combines the filters', () => {
    const both = filterRegister(register, { namespace: 'ml', person: 'erin' });
    expect([...both.capabilities, ...both.delegations, ...both.exemptions]).toEqual([]);
  });
});

describe('chain view', () => {
  const source = input();
  const register = buildRegister(source);

  it('shows a capability with everything that hangs on it', () => {
    const view = chainView(source, register, capabilityRef('ml', 'chat-assistant'));
    expect(view?.workload).toBeUndefined();
    expect(view?.capability?.name).toBe('chat-assistant');
    expect(view?.delegations.map((row) => row.name)).toEqual(['chat-assistant-chat-bot', 'later']);
    expect(view?.escalations.map((row) => row.name)).toEqual(['delegation-expired']);
    expect(view?.exemptions).toEqual([]);
    expect(view?.workloads.map((row) => [row.workload.name, row.anchored])).toEqual([
      ['chat', true],
      ['chat-as-stranger', false],
    ]);
  });

  it('shows a workload with the decision admission would make now and its capability', () => {
    const view = chainView(source, register, {
      namespace: 'risk',
      kind: 'Deployment',
      name: 'scorer',
    });
    expect(view?.workload).toMatchObject({
      reason: 'Anchored',
      anchored: true,
      capability: 'fraud',
    });
    expect(view?.capability?.role).toBe('fraud-lead');
    expect(view?.exemptions.map((row) => row.name)).toEqual(['gpu']);
    const rogue = chainView(source, register, {
      namespace: 'risk',
      kind: 'Deployment',
      name: 'rogue',
    });
    expect(rogue?.workload?.reason).toBe('AnchorMissing');
    expect(rogue?.capability).toBeUndefined();
    expect(rogue?.escalations.map((row) => row.name)).toEqual(['unanchored']);
    expect(rogue?.workloads).toEqual([]);
  });

  it('is undefined for what does not exist, and for a name in another namespace', () => {
    expect(chainView(source, register, capabilityRef('ml', 'nope'))).toBeUndefined();
    expect(chainView(source, register, capabilityRef('risk', 'chat-assistant'))).toBeUndefined();
    expect(
      chainView(source, register, { namespace: 'ml', kind: 'Deployment', name: 'web' }),
    ).toBeUndefined();
  });
});

describe('chain paths', () => {
  it('round-trips, encoding every part', () => {
    const ref = { namespace: 'ml', kind: 'Deployment', name: 'a b/<c>' };
    const path = chainPath(ref);
    expect(path).toBe('/chain/ml/Deployment/a%20b%2F%3Cc%3E');
    expect(parseChainPath(path)).toEqual(ref);
  });

  it('refuses what is not a chain path', () => {
    expect(parseChainPath('/chain/ml/Capability')).toBeUndefined();
    expect(parseChainPath('/chain/ml/Capability/x/y')).toBeUndefined();
    expect(parseChainPath('/chain/ml/Capability/%E0%A4%A')).toBeUndefined();
    expect(parseChainPath('/other/ml/Capability/x')).toBeUndefined();
  });
});

describe('time', () => {
  it('counts remaining time from the instant given, never the clock', () => {
    const later = buildRegister({ ...input(), now: new Date(NOW.getTime() + DAY) });
    expect(later.delegations[0]?.remainingMs).toBe(
      Date.parse('2026-07-01T00:00:00Z') - NOW.getTime() - DAY,
    );
  });
});
