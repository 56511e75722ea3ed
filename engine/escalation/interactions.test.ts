import { describe, expect, it } from 'vitest';
import { capability, escalationPolicy, NOW, role, holder, snapshot } from '../testing/fixtures.js';
import {
  pendingByPair,
  pendingTrigger,
  TAMPER_WINDOW_MS,
  tamperTrigger,
  type PendingInteraction,
} from './interactions.js';

const HOUR = 3_600_000;
const now = NOW.getTime();
const MAX_PENDING = 72 * HOUR;

/** `ml/chat-assistant` (role model-risk-officer) and `risk/fraud-scoring` (role fraud-owner). */
function cluster(extra: Parameters<typeof snapshot>[0] = {}) {
  return snapshot({
    roles: [role(), role('fraud-owner', [holder('frank')])],
    capabilities: [
      capability(),
      capability('fraud-scoring', { accountableRole: 'fraud-owner', riskTier: 'High' }, 'risk'),
    ],
    ...extra,
  });
}

const calls = (since: number): PendingInteraction => ({
  declaredBy: { namespace: 'ml', name: 'chat-assistant' },
  answeredBy: { namespace: 'risk', name: 'fraud-scoring' },
  direction: 'Calls',
  since,
});

describe('InteractionPending', () => {
  it('waits maxPending, then asks the role that has not declared its side, in its namespace', () => {
    const snap = cluster();
    const early = pendingTrigger(snap, [calls(now - HOUR)], MAX_PENDING, now);
    expect(early.causes).toEqual([]);
    expect(early.changesAt).toBe(now - HOUR + MAX_PENDING);

    const due = pendingTrigger(snap, [calls(now - MAX_PENDING)], MAX_PENDING, now);
    expect(due.causes).toHaveLength(1);
    expect(due.causes[0]).toMatchObject({
      namespace: 'risk',
      trigger: 'InteractionPending',
      severity: 'Warning',
      capability: 'fraud-scoring',
      accountableRole: 'fraud-owner',
      subject: { kind: 'Capability', namespace: 'ml', name: 'chat-assistant' },
    });
    expect(due.causes[0]?.summary).toContain(
      'add ml/chat-assistant to spec.interactions.acceptsFrom of risk/fraud-scoring',
    );
    expect(due.causes[0]?.summary).toContain('A current holder of role fraud-owner must answer');
  });

  it('is one escalation per pair, naming each direction that waits', () => {
    const both: PendingInteraction[] = [
      calls(now - MAX_PENDING - HOUR),
      { ...calls(now - MAX_PENDING), direction: 'AcceptsFrom' },
    ];
    const pairs = pendingByPair(both);
    expect([...pairs.keys()]).toEqual(['ml/chat-assistant>risk/fraud-scoring']);
    const found = pendingTrigger(cluster(), both, MAX_PENDING, now);
    expect(found.causes).toHaveLength(1);
    expect(found.causes[0]?.summary).toContain('acceptsFrom');
    expect(found.causes[0]?.summary).toContain('spec.interactions.calls of risk/fraud-scoring');
  });

  it('asks no one when the peer does not exist, and follows the EscalationPolicy of the answering side', () => {
    const gone = cluster({ capabilities: [capability()] });
    expect(pendingTrigger(gone, [calls(0)], MAX_PENDING, now).causes).toEqual([]);
    const quiet = cluster({
      escalationPolicies: [
        escalationPolicy(
          'default',
          { triggers: [{ type: 'AccountabilityVacant', severity: 'Critical' }] },
          'risk',
        ),
      ],
    });
    expect(pendingTrigger(quiet, [calls(0)], MAX_PENDING, now).causes).toEqual([]);
  });
});

describe('NetworkPolicyTampered', () => {
  const tampering = {
    namespace: 'ml',
    capability: 'chat-assistant',
    policy: 'oos-interactions-chat-assistant',
    at: now - HOUR,
    cause: 'deleted' as const,
  };

  it('asks the capability’s role for the tamper window after a repair, then resolves', () => {
    const open = tamperTrigger(cluster(), tampering, now);
    expect(open.causes[0]).toMatchObject({
      namespace: 'ml',
      trigger: 'NetworkPolicyTampered',
      severity: 'Critical',
      accountableRole: 'model-risk-officer',
      subject: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        name: 'oos-interactions-chat-assistant',
      },
    });
    expect(open.causes[0]?.summary).toContain(
      'deleted NetworkPolicy ml/oos-interactions-chat-assistant',
    );
    expect(open.changesAt).toBe(tampering.at + TAMPER_WINDOW_MS);
    expect(tamperTrigger(cluster(), tampering, tampering.at + TAMPER_WINDOW_MS).causes).toEqual([]);
  });

  it('is none once the capability is gone (its policy goes with it)', () => {
    expect(tamperTrigger(cluster({ capabilities: [] }), tampering, now).causes).toEqual([]);
  });
});
