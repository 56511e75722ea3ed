import { describe, expect, it } from 'vitest';
import type { Capability, InteractionStatus } from '../../api/index.js';
import { buildSnapshot, type GovernanceObjects } from '../snapshot.js';
import {
  capability,
  governance,
  holder,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  role,
} from '../testing/fixtures.js';
import { planRound, type RoundPlan } from './round.js';

const now = NOW.getTime();
const HOUR = 3_600_000;

const CALL = {
  namespace: 'risk',
  capability: 'fraud-scoring',
  ports: [{ port: 8080 }],
  justification: 'Routes invoices by fraud score.',
};
const ACCEPT = {
  namespace: 'ml',
  capability: 'chat-assistant',
  justification: 'Scores for the assistant.',
};

/** A capability as the apiserver stores it (with a uid), optionally with a stored status. */
function stored(c: Capability, uid: string, status?: Capability['status']): Capability {
  return { ...c, metadata: { ...c.metadata, uid }, ...(status === undefined ? {} : { status }) };
}

function objects(
  callerInteractions: object,
  calleeInteractions: object,
  posture = 'Closed',
  callerStatus?: Capability['status'],
): GovernanceObjects {
  return governance({
    roles: [role(), role('fraud-owner', [holder('frank')])],
    capabilities: [
      stored(
        capability('chat-assistant', { interactions: callerInteractions }),
        'uid-caller',
        callerStatus,
      ),
      stored(
        capability(
          'fraud-scoring',
          { accountableRole: 'fraud-owner', interactions: calleeInteractions },
          'risk',
        ),
        'uid-callee',
      ),
      stored(
        capability('forecasting', { riskTier: 'Minimal', delegationRequired: false }),
        'uid-f',
      ),
    ],
    policies: [policy({ coordination: { posture, maxPending: '2h' } })],
  });
}

function plan(input: GovernanceObjects, at = now, previous?: RoundPlan): RoundPlan {
  return planRound({
    snapshot: buildSnapshot(input, { operatorNamespace: OPERATOR_NAMESPACE }),
    objects: input,
    workloads: [],
    namespaceLabels: () => undefined,
    invalid: [],
    now: new Date(at),
    previous,
  });
}

const statusOf = (p: RoundPlan, namespace: string, name: string) =>
  p.statuses.get(`Capability/${namespace}/${name}`)?.wanted as {
    interactions?: InteractionStatus[];
    conditions?: { type: string; status: string; reason: string }[];
  };

describe('a round with interactions', () => {
  it('writes each declared interaction into the status, with an InteractionsAgreed condition', () => {
    const waiting = plan(objects({ calls: [CALL] }, {}));
    const caller = statusOf(waiting, 'ml', 'chat-assistant');
    expect(caller.interactions).toEqual([
      expect.objectContaining({
        direction: 'Calls',
        peer: 'risk/fraud-scoring',
        state: 'WaitingForPeer',
        since: '2026-06-01T12:00:00Z',
      }),
    ]);
    expect(caller.conditions?.find((c) => c.type === 'InteractionsAgreed')).toMatchObject({
      status: 'False',
      reason: 'WaitingForPeer',
    });
    // A capability that declares nothing and is named by no one has neither.
    const untouched = statusOf(waiting, 'ml', 'forecasting');
    expect(untouched.interactions).toBeUndefined();
    expect(untouched.conditions?.map((c) => c.type)).not.toContain('InteractionsAgreed');

    const agreed = plan(objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] }));
    expect(statusOf(agreed, 'risk', 'fraud-scoring').interactions).toEqual([
      expect.objectContaining({
        direction: 'AcceptsFrom',
        peer: 'ml/chat-assistant',
        state: 'Agreed',
      }),
    ]);
    expect(
      statusOf(agreed, 'ml', 'chat-assistant').conditions?.find(
        (c) => c.type === 'InteractionsAgreed',
      ),
    ).toMatchObject({ status: 'True', reason: 'AllAgreed' });
  });

  it('keeps since while the state holds (never later than now), and moves it on a change', () => {
    const before = [
      {
        direction: 'Calls' as const,
        peer: 'risk/fraud-scoring',
        state: 'WaitingForPeer' as const,
        since: '2026-06-01T09:00:00Z',
      },
    ];
    const kept = plan(objects({ calls: [CALL] }, {}, 'Closed', { interactions: before }));
    expect(statusOf(kept, 'ml', 'chat-assistant').interactions?.[0]?.since).toBe(
      '2026-06-01T09:00:00Z',
    );
    const future = [{ ...before[0], since: '2030-01-01T00:00:00Z' }] as typeof before;
    const clamped = plan(objects({ calls: [CALL] }, {}, 'Closed', { interactions: future }));
    expect(statusOf(clamped, 'ml', 'chat-assistant').interactions?.[0]?.since).toBe(
      '2026-06-01T12:00:00Z',
    );
    const moved = plan(
      objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] }, 'Closed', { interactions: before }),
    );
    expect(statusOf(moved, 'ml', 'chat-assistant').interactions?.[0]).toMatchObject({
      state: 'Agreed',
      since: '2026-06-01T12:00:00Z',
    });
  });

  it('escalates a call waiting longer than maxPending to the callee, in its namespace, and wakes up for it', () => {
    const since = [
      {
        direction: 'Calls' as const,
        peer: 'risk/fraud-scoring',
        state: 'WaitingForPeer' as const,
        since: '2026-06-01T11:00:00Z',
      },
    ];
    const early = plan(objects({ calls: [CALL] }, {}, 'Closed', { interactions: since }));
    expect([...early.causes.values()].map((c) => c.trigger)).not.toContain('InteractionPending');
    expect(early.wakeAt).toBe(Date.parse('2026-06-01T13:00:00Z'));
    const late = plan(
      objects({ calls: [CALL] }, {}, 'Closed', { interactions: since }),
      now + 2 * HOUR,
    );
    const pending = [...late.causes.values()].filter((c) => c.trigger === 'InteractionPending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      namespace: 'risk',
      capability: 'fraud-scoring',
      accountableRole: 'fraud-owner',
    });
    const agreed = plan(objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] }), now + 2 * HOUR);
    expect([...agreed.causes.values()].map((c) => c.trigger)).not.toContain('InteractionPending');
  });

  it('plans one owned NetworkPolicy per capability under a Closed posture, none under Open', () => {
    const closed = plan(objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] }));
    expect([...closed.networkPolicies.keys()].sort()).toEqual([
      'ml/oos-interactions-chat-assistant',
      'ml/oos-interactions-forecasting',
      'risk/oos-interactions-fraud-scoring',
    ]);
    // Every Closed capability gets one, with or without interactions: isolated to DNS by default.
    expect(closed.networkPolicies.get('risk/oos-interactions-fraud-scoring')?.owner).toEqual({
      name: 'fraud-scoring',
      uid: 'uid-callee',
    });
    const open = plan(objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] }, 'Open'));
    expect(open.networkPolicies.size).toBe(0);
    expect(open.metrics.interactions.entries()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { direction: 'Calls', state: 'Agreed' }, value: 1 }),
      ]),
    );
  });

  it('reuses the graph while no capability spec changed, and rebuilds it when one did', () => {
    const input = objects({ calls: [CALL] }, {});
    const first = plan(input);
    const again = plan(input, now + 1000, first);
    expect(again.interactions).toBe(first.interactions);
    const changed = objects({ calls: [CALL] }, { acceptsFrom: [ACCEPT] });
    const next = plan(changed, now + 2000, again);
    expect(next.interactions).not.toBe(first.interactions);
    expect(statusOf(next, 'ml', 'chat-assistant').interactions?.[0]?.state).toBe('Agreed');
  });

  it('keeps the graph when a spec changes in nothing the graph reads, and rebuilds it for one it reads', () => {
    const input = objects({ calls: [CALL] }, {});
    const first = plan(input);
    const edit = (change: Partial<Capability['spec']>): GovernanceObjects => ({
      ...input,
      capabilities: (input.capabilities ?? []).map((c) =>
        c.metadata.name === 'chat-assistant' ? { ...c, spec: { ...c.spec, ...change } } : c,
      ),
    });
    // A new spec object (as every parse of a changed Capability is), changed in its description.
    const described = plan(
      edit({ description: 'Answers customers, now in French too.' }),
      now + 1000,
      first,
    );
    expect(described.interactions.graph).toBe(first.interactions.graph);
    expect(described.interactions.policies).toBe(first.interactions.policies);
    // Its risk tier is what forbidden edges are judged by: the graph is built again.
    const riskier = plan(edit({ riskTier: 'High' }), now + 2000, described);
    expect(riskier.interactions.graph).not.toBe(first.interactions.graph);
    // Its accountable role is whom a waiting edge asks.
    const handedOver = plan(edit({ accountableRole: 'fraud-owner' }), now + 3000, described);
    expect(handedOver.interactions.graph).not.toBe(first.interactions.graph);
  });

  it('builds the policies again for a capability recreated under its name (another uid)', () => {
    const input = objects({ calls: [CALL] }, {});
    const first = plan(input);
    const recreated: GovernanceObjects = {
      ...input,
      capabilities: (input.capabilities ?? []).map((c) =>
        c.metadata.name === 'fraud-scoring' ? stored(c, 'uid-callee-2') : c,
      ),
    };
    const next = plan(recreated, now + 1000, first);
    expect(next.interactions.graph).not.toBe(first.interactions.graph);
    expect(next.networkPolicies.get('risk/oos-interactions-fraud-scoring')?.owner.uid).toBe(
      'uid-callee-2',
    );
  });
});
