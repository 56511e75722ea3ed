import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/index.js';
import { decide } from '../decide.js';
import {
  admin,
  admission,
  alice,
  capability,
  carol,
  gitops,
  holder,
  NOW,
  policy,
  robot,
  role,
  snapshot,
  throughAdmission,
  update,
  withSpec,
} from '../testing/fixtures.js';

// The coordination layer on a Capability: forbidden edges, the endpoint catalogue, the posture,
// and who may declare an interaction. Everyone in ml answers to ROLE (alice holds it); dana holds
// b-owner, the role of ml/b.
const dana = { username: 'dana', groups: [] };
const TCP = [{ port: 8080, protocol: 'TCP' }];
const why = 'Answers for this edge.';
const call = (name: string, namespace = 'ml') => ({
  namespace,
  capability: name,
  ports: TCP,
  justification: why,
});
const accept = (name: string, namespace = 'ml') => ({
  namespace,
  capability: name,
  justification: why,
});

const coordination = (extra: Record<string, unknown> = {}) => ({
  endpoints: [
    {
      name: 'model-provider',
      description: 'An outside model provider.',
      cidrs: ['203.0.113.0/24'],
      ports: [{ port: 443 }],
    },
  ],
  forbiddenEdges: [
    {
      name: 'autonomous-to-high',
      from: { autonomy: ['Autonomous'] },
      to: { riskTiers: ['High'] },
      reason: 'An autonomous agent never drives a high-risk model.',
    },
    {
      name: 'minimal-stays-inside',
      from: { riskTiers: ['Minimal'] },
      to: { external: true },
      reason: 'Minimal-risk tools send no data outside the cluster.',
    },
  ],
  ...extra,
});

const scoring = capability('scoring', { riskTier: 'High' });
const agent = capability('agent', { autonomy: 'Autonomous' });
const tool = capability('tool', { riskTier: 'Minimal' });
const b = capability('b', { accountableRole: 'b-owner' });
const world = (coordinationExtra: Record<string, unknown> = {}, capabilities: Capability[] = []) =>
  snapshot({
    roles: [role(), role('b-owner', [holder('dana')])],
    capabilities: [capability(), scoring, agent, tool, b, ...capabilities],
    policies: [policy({ coordination: coordination(coordinationExtra) })],
  });

const interacting = (stored: Capability, interactions: Record<string, unknown>) =>
  withSpec(stored, { interactions });

describe('forbidden edges', () => {
  it('refuses a call whose callee, as the snapshot classes it, is in a forbidden class', () => {
    const decision = throughAdmission(
      update(agent, interacting(agent, { calls: [call('scoring')] }), alice),
      world(),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'InteractionForbidden' });
    expect(decision.message).toBe(
      "Capability ml/agent cannot declare that ml/agent calls ml/scoring: the edge from ml/agent (Autonomous, Limited risk) to ml/scoring (Supervised, High risk) is forbidden by the GovernancePolicy's forbiddenEdges rule autonomous-to-high: An autonomous agent never drives a high-risk model; remove it from spec.interactions.calls, or ask a governance admin about the rule.",
    );
  });

  it('refuses the same edge declared by the callee (acceptsFrom: the caller’s class)', () => {
    const decision = throughAdmission(
      update(scoring, interacting(scoring, { acceptsFrom: [accept('agent')] }), alice),
      world(),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'InteractionForbidden' });
    expect(decision.message).toContain('from ml/agent (Autonomous, Limited risk) to ml/scoring');
  });

  it('refuses it on CREATE too', () => {
    const created = withSpec(capability('agent-2', { autonomy: 'Autonomous' }), {
      interactions: { calls: [call('scoring')] },
    });
    expect(throughAdmission(admission(created), world())).toMatchObject({
      reason: 'InteractionForbidden',
    });
  });

  it('refuses an egress from a class that may not reach outside the cluster', () => {
    const egress = [{ name: 'provider', endpoint: 'model-provider', justification: why }];
    const decision = throughAdmission(update(tool, interacting(tool, { egress }), alice), world());
    expect(decision).toMatchObject({ reason: 'InteractionForbidden' });
    expect(decision.message).toContain('to provider (outside the cluster)');
    // The same destination from a Limited-risk capability is fine.
    const chat = capability();
    expect(
      throughAdmission(update(chat, interacting(chat, { egress }), alice), world()),
    ).toMatchObject({ reason: 'Authorized' });
  });

  it('holds for governance admins and trusted appliers as for anyone', () => {
    for (const user of [admin, gitops]) {
      expect(
        throughAdmission(
          update(agent, interacting(agent, { calls: [call('scoring')] }), user),
          world(),
        ),
      ).toMatchObject({ reason: 'InteractionForbidden' });
    }
  });

  it('admits an edge to a peer the snapshot does not hold (the controller reports PeerNotFound)', () => {
    expect(
      throughAdmission(
        update(agent, interacting(agent, { calls: [call('scoring', 'elsewhere')] }), alice),
        world(),
      ),
    ).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('admits edges in no forbidden class', () => {
    const chat = capability();
    expect(
      throughAdmission(
        update(
          chat,
          interacting(chat, { calls: [call('scoring')], acceptsFrom: [accept('agent')] }),
          alice,
        ),
        world(),
      ),
    ).toMatchObject({ allowed: true, reason: 'Authorized' });
  });

  it('refuses a new risk tier or autonomy that puts a declared edge in a forbidden class', () => {
    const chat = interacting(capability(), { acceptsFrom: [accept('agent')] });
    const high = throughAdmission(
      update(chat, withSpec(chat, { riskTier: 'High' }), alice),
      world({}, [chat]),
    );
    expect(high).toMatchObject({ allowed: false, reason: 'InteractionForbidden' });
    expect(high.message).toContain('to ml/chat-assistant (Supervised, High risk)');

    const caller = interacting(capability('caller'), { calls: [call('scoring')] });
    expect(
      throughAdmission(
        update(caller, withSpec(caller, { autonomy: 'Autonomous' }), alice),
        world(),
      ),
    ).toMatchObject({ reason: 'InteractionForbidden' });
  });

  it('never blocks other changes, a suspension or a withdrawal over an edge a later rule forbids', () => {
    const stored = interacting(agent, { calls: [call('scoring')] });
    const described = withSpec(stored, { description: 'Now with a better description.' });
    expect(throughAdmission(update(stored, described, alice), world())).toMatchObject({
      reason: 'Authorized',
    });
    expect(
      throughAdmission(update(stored, withSpec(stored, { suspend: true }), robot), world()),
    ).toMatchObject({ allowed: true });
    expect(
      throughAdmission(update(stored, interacting(stored, { calls: [] }), alice), world()),
    ).toMatchObject({ reason: 'Authorized' });
    // Another forbidden edge alongside it is refused: it is new.
    const rating = capability('rating', { riskTier: 'High' });
    const more = interacting(stored, { calls: [call('scoring'), call('rating')] });
    const decision = throughAdmission(update(stored, more, alice), world({}, [rating]));
    expect(decision).toMatchObject({ allowed: false, reason: 'InteractionForbidden' });
    expect(decision.message).toContain('calls ml/rating');
  });
});

describe('the endpoint catalogue', () => {
  const chat = capability();
  const egress = (endpoint: string) => [{ name: 'provider', endpoint, justification: why }];

  it('refuses an egress naming an endpoint the catalogue does not hold', () => {
    const decision = throughAdmission(
      update(chat, interacting(chat, { egress: egress('ghost-provider') }), alice),
      world(),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'EndpointNotFound' });
    expect(decision.message).toContain('names endpoint ghost-provider');
    expect(decision.message).toContain('(it holds model-provider)');
  });

  it('admits a catalogued endpoint, and cidrs with ports', () => {
    const cidrs = [
      { name: 'lab', cidrs: ['198.51.100.0/24'], ports: [{ port: 443 }], justification: why },
    ];
    for (const list of [egress('model-provider'), cidrs]) {
      expect(
        throughAdmission(update(chat, interacting(chat, { egress: list }), alice), world()),
      ).toMatchObject({ reason: 'Authorized' });
    }
  });

  it('keeps an entry whose endpoint a later catalogue dropped (the controller reports it)', () => {
    const stored = interacting(chat, { egress: egress('ghost-provider') });
    const described = withSpec(stored, { description: 'Reworded.' });
    expect(throughAdmission(update(stored, described, alice), world())).toMatchObject({
      reason: 'Authorized',
    });
  });
});

describe('the posture', () => {
  const chat = capability();

  it('can never be Open under a Closed policy', () => {
    const decision = throughAdmission(
      update(chat, interacting(chat, { posture: 'Open' }), alice),
      world({ posture: 'Closed' }),
    );
    expect(decision).toMatchObject({ allowed: false, reason: 'PostureNotAllowed' });
    expect(decision.message).toContain('remove the field or set it to Closed');
  });

  it('may be Closed under either, and Open under an Open policy', () => {
    for (const [posture, policyPosture] of [
      ['Closed', 'Closed'],
      ['Closed', 'Open'],
      ['Open', 'Open'],
    ] as const) {
      expect(
        throughAdmission(
          update(chat, interacting(chat, { posture }), alice),
          world({ posture: policyPosture }),
        ),
      ).toMatchObject({ reason: 'Authorized' });
    }
  });
});

describe('who may declare an interaction', () => {
  it('says what was asked in the refusal: declare, withdraw, posture', () => {
    const chat = capability();
    const calls = throughAdmission(
      update(chat, interacting(chat, { calls: [call('scoring')] }), carol),
      world(),
    );
    expect(calls).toMatchObject({ allowed: false, reason: 'NotRoleHolder' });
    expect(calls.message).toContain('carol cannot declare that ml/chat-assistant calls ml/scoring');

    const stored = interacting(chat, { calls: [call('scoring')] });
    const withdrawn = throughAdmission(update(stored, interacting(stored, {}), robot), world());
    expect(withdrawn).toMatchObject({ allowed: false, reason: 'NotHuman' });
    expect(withdrawn.message).toContain('cannot withdraw that ml/chat-assistant calls ml/scoring');

    const closed = throughAdmission(
      update(chat, interacting(chat, { posture: 'Closed' }), carol),
      world(),
    );
    expect(closed.message).toContain('set the interactions posture of ml/chat-assistant to Closed');

    const egress = [{ name: 'provider', endpoint: 'model-provider', justification: why }];
    expect(
      throughAdmission(update(chat, interacting(chat, { egress }), carol), world()).message,
    ).toContain(
      'declare that ml/chat-assistant reaches the destination provider outside the cluster',
    );
  });

  it('takes a holder of the capability’s own role: the caller’s holder cannot consent for the callee', () => {
    const accepted = interacting(b, { acceptsFrom: [accept('chat-assistant')] });
    const byCaller = throughAdmission(update(b, accepted, alice), world());
    expect(byCaller).toMatchObject({ allowed: false, reason: 'NotRoleHolder' });
    expect(byCaller.message).toContain(
      'alice cannot declare that ml/b accepts calls from ml/chat-assistant',
    );
    expect(throughAdmission(update(b, accepted, dana), world())).toMatchObject({
      allowed: true,
      reason: 'Authorized',
    });
    expect(throughAdmission(update(b, accepted, admin), world())).toMatchObject({ allowed: true });
  });

  it('refuses a status with forged interactions to anyone but the operator', () => {
    const forged = {
      ...b,
      status: {
        interactions: [{ direction: 'AcceptsFrom', peer: 'ml/chat-assistant', state: 'Agreed' }],
      },
    };
    for (const user of [dana, admin, gitops]) {
      const decision = decide(
        admission(forged, { operation: 'UPDATE', oldObject: b, user, subResource: 'status' }),
        world(),
        NOW,
      );
      expect(decision).toMatchObject({ allowed: false, reason: 'StatusNotOwned' });
    }
  });

  it('keeps a GovernancePolicy’s coordination for governance admins and trusted appliers', () => {
    const stored = policy({ coordination: coordination() });
    const opened = {
      ...stored,
      spec: { ...stored.spec, coordination: { ...stored.spec.coordination, forbiddenEdges: [] } },
    };
    const state = snapshot({ policies: [stored] });
    expect(throughAdmission(update(stored, opened, alice), state)).toMatchObject({
      allowed: false,
      reason: 'NotGovernanceAdmin',
    });
    expect(throughAdmission(update(stored, opened, admin), state)).toMatchObject({ allowed: true });
    expect(throughAdmission(update(stored, opened, gitops), state)).toMatchObject({
      allowed: true,
    });
  });
});
