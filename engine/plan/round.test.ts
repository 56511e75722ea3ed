import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_CAPABILITY, type Escalation } from '../../api/index.js';
import type { JsonRecord } from '../json.js';
import { buildSnapshot, type GovernanceObjects } from '../snapshot.js';
import {
  anchoredOptions,
  capability,
  delegation,
  deployment,
  escalation,
  escalationPolicy,
  exemption,
  governance,
  holder,
  NOW,
  CAPABILITY,
  OPERATOR_NAMESPACE,
  role,
  SERVICE_ACCOUNT,
} from '../testing/fixtures.js';
import { roleIndex } from '../status/dependents.js';
import { withPlannedStatuses } from '../testing/written.js';
import { episodeChangesAt } from './clocks.js';
import {
  planRound,
  planRoundSteps,
  type InvalidInput,
  type RoundInput,
  type RoundPlan,
} from './round.js';
import type { StatusObject } from './statuses.js';

const now = NOW.getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A first round's input: the objects, their snapshot, the workloads, no labels, nothing invalid. */
function roundInput(
  objects: GovernanceObjects,
  workloads: JsonRecord[] = [],
  at = now,
): RoundInput {
  return {
    snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
    objects,
    workloads,
    namespaceLabels: () => undefined,
    invalid: [],
    now: new Date(at),
  };
}

function plan(
  overrides: Partial<GovernanceObjects> = {},
  at = now,
  workloads: JsonRecord[] = [],
): RoundPlan {
  return planRound(roundInput(governance(overrides), workloads, at));
}

function created(e: Escalation, at: string): Escalation {
  return { ...e, metadata: { ...e.metadata, creationTimestamp: at } };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('the wake-up of a round', () => {
  it('is when the delegation enters its lead time of 14 days', () => {
    expect(iso(plan().wakeAt ?? 0)).toBe('2026-06-17T00:00:00.000Z');
  });

  it('is the earliest of expiries, lapses and levels due', () => {
    const exempt = plan({
      exemptions: [exemption('incident', { expiresAt: '2026-06-05T00:00:00Z' })],
    });
    expect(exempt.wakeAt).toBe(Date.parse('2026-06-05T00:00:00Z'));
    const lapsing = plan({
      roles: [
        role(undefined, [holder('alice', '2026-06-15T00:00:00Z')]),
        role('chief-risk-officer', []),
      ],
    });
    expect(lapsing.wakeAt).toBe(Date.parse('2026-06-01T00:00:00Z') + 0 * DAY + 14 * DAY);
    const climbing = plan({
      escalationPolicies: [escalationPolicy('ladder')],
      escalations: [
        created(escalation('e', { policy: 'ladder' }, { level: 1 }), '2026-06-01T11:00:00Z'),
      ],
    });
    expect(climbing.wakeAt).toBe(now + 3 * HOUR);
  });

  it('includes the end of a resolved escalation’s retention, and never the past', () => {
    const resolved = plan({
      delegations: [],
      roles: [
        role(undefined, [holder('alice', '2030-01-01T00:00:00Z')]),
        role('chief-risk-officer', []),
      ],
      escalations: [
        created(
          escalation('done', {}, { level: 1, resolvedAt: '2026-05-01T00:00:00Z' }),
          '2026-04-01T00:00:00Z',
        ),
      ],
    });
    expect(iso(resolved.wakeAt ?? 0)).toBe('2026-10-28T00:00:00.000Z');
    expect(plan({ delegations: [], roles: [], exemptions: [] }).wakeAt).toBeUndefined();
  });
});

describe('a round', () => {
  it('indexes the status of every object by Kind/namespace/name', () => {
    const round = plan();
    expect([...round.statuses.keys()].sort()).toEqual([
      'AccountableRole//chief-risk-officer',
      'AccountableRole//model-risk-officer',
      'Capability/ml/chat-assistant',
      'Capability/ml/forecasting',
      'Delegation/ml/chat-assistant-chat-bot',
      'GovernancePolicy//default',
    ]);
    expect(round.statuses.get('Delegation/ml/chat-assistant-chat-bot')?.wanted).toMatchObject({
      state: 'Active',
    });
    expect(round.causes.size).toBe(0);
  });

  it('audits the workloads, counts them per capability and keys their causes', () => {
    const anchored = deployment(anchoredOptions);
    const unanchored = deployment({ name: 'rogue', image: 'vllm/vllm-openai:v0.6.3' });
    const round = plan({}, now, [anchored, unanchored]);
    expect(round.findings.map((f) => [f.workload.name, f.reason])).toEqual([
      ['app', 'Anchored'],
      ['rogue', 'AnchorMissing'],
    ]);
    expect(round.counts.get('ml/chat-assistant')).toEqual({ running: 1, anchored: 1 });
    expect([...round.causes.values()].map((c) => c.trigger)).toEqual(['UnanchoredWorkload']);
    expect(round.metrics.unanchoredWorkloads).toBe(1);
  });

  it('counts the roles with no current holder, one whose attestation ends at this instant among them', () => {
    const round = plan({
      roles: [
        role(),
        role('lapsed', [holder('carol', '2026-01-01T00:00:00Z')]),
        role('ending', [holder('dave', NOW.toISOString()), holder('erin', '2026-05-01T00:00:00Z')]),
        role('later', [holder('frank', '2026-06-01T12:00:01Z')]),
        role('yesterday', [holder('gina', '2026-05-31T12:00:00Z')]),
      ],
    });
    expect(round.metrics.vacantRoles).toBe(3);
  });

  it('plans the stop steps of a suspended capability’s workloads', () => {
    const round = plan(
      {
        capabilities: [
          capability(undefined, { suspend: true, stopAction: 'ScaleToZero', suspendedBy: 'alice' }),
        ],
      },
      now,
      [deployment(anchoredOptions)],
    );
    expect([...round.stops.values()].map((s) => s.step)).toEqual([
      { action: 'remember', replicas: 1 },
    ]);
  });

  it('yields in slices and ends with the same plan', () => {
    const workloads = Array.from({ length: 450 }, (_, i) =>
      deployment({ ...anchoredOptions, name: `d-${String(i)}` }),
    );
    const objects = governance();
    const input = {
      snapshot: buildSnapshot(objects, {}),
      objects,
      workloads,
      namespaceLabels: () => undefined,
      invalid: [],
      now: NOW,
    };
    const steps = planRoundSteps(input);
    let slices = 0;
    let step = steps.next();
    while (step.done !== true) {
      slices += 1;
      step = steps.next();
    }
    expect(slices).toBeGreaterThanOrEqual(2);
    expect(step.value.findings).toEqual(planRound(input).findings);
  });
});

describe('a round after one capability changed', () => {
  const labelled = (capabilityName: string, name: string) =>
    deployment({
      ...anchoredOptions,
      name,
      labels: { [LABEL_CAPABILITY]: capabilityName },
      templateLabels: { [LABEL_CAPABILITY]: capabilityName },
    });
  /** The round after `change` of the objects, reusing `first`, and the same round planned afresh. */
  function after(
    first: RoundPlan,
    workloads: JsonRecord[],
    change: (objects: GovernanceObjects) => GovernanceObjects,
  ): [RoundPlan, RoundPlan] {
    const objects = change(first.objects);
    const input = {
      snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }, first.snapshot),
      objects,
      workloads,
      namespaceLabels: () => undefined,
      invalid: [],
      now: NOW,
    };
    return [planRound({ ...input, previous: first }), planRound(input)];
  }
  const running = [
    labelled(CAPABILITY, 'chat'),
    labelled('forecasting', 'forecast'),
    deployment({ image: anchoredOptions.image, name: 'unanchored' }),
  ];
  /** The status of a condition of the Delegation's planned status. */
  const delegationCondition = (round: RoundPlan, type: string) =>
    (
      round.statuses.get('Delegation/ml/chat-assistant-chat-bot')?.wanted as {
        conditions?: readonly { type: string; status: string }[];
      }
    ).conditions?.find((c) => c.type === type)?.status;
  const finding = (round: RoundPlan, name: string) =>
    round.findings.find((f) => f.workload.name === name);
  const withCapability = (
    objects: GovernanceObjects,
    name: string,
    spec: Record<string, unknown>,
  ): GovernanceObjects => ({
    ...objects,
    capabilities: (objects.capabilities ?? []).map((c) =>
      c.metadata.name === name ? { ...c, spec: { ...c.spec, ...spec } } : c,
    ),
  });

  it('audits again only the workloads anchored to it', () => {
    const first = planRound(roundInput(governance(), running));
    expect(first.findings).toHaveLength(3);
    const [reused, fresh] = after(first, running, (o) =>
      withCapability(o, 'forecasting', {
        suspend: true,
        stopAction: 'ScaleToZero',
        suspendedBy: 'dana',
      }),
    );
    expect(observable(reused)).toEqual(observable(fresh));
    expect(finding(reused, 'chat')).toBe(finding(first, 'chat'));
    expect(finding(reused, 'unanchored')).toBe(finding(first, 'unanchored'));
    expect(finding(reused, 'forecast')).not.toBe(finding(first, 'forecast'));
    expect(finding(reused, 'forecast')?.reason).toBe('CapabilitySuspended');
    expect([...reused.stops.keys()]).toEqual(['apps/Deployment/ml/forecast']);
  });

  it('audits again the workloads that name no capability when the capabilities’ names change', () => {
    const first = planRound(roundInput(governance(), running));
    const [reused, fresh] = after(first, running, (o) => ({
      ...o,
      capabilities: [...(o.capabilities ?? []), capability('translation')],
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    expect(finding(reused, 'chat')).toBe(finding(first, 'chat'));
    expect(finding(reused, 'unanchored')).not.toBe(finding(first, 'unanchored'));
    expect(finding(reused, 'unanchored')?.message).toContain('translation');
  });

  it('plans again the triggers of a capability without workloads whose role changed', () => {
    // forecasting answers to chief-risk-officer alone; chat-assistant to model-risk-officer.
    const objects = withCapability(governance(), 'forecasting', {
      accountableRole: 'chief-risk-officer',
    });
    const first = planRound(roundInput(objects, running.slice(0, 1)));
    expect(first.causes.size).toBe(0);
    const [reused, fresh] = after(first, running.slice(0, 1), (o) => ({
      ...o,
      roles: (o.roles ?? []).map((r) =>
        r.metadata.name === 'chief-risk-officer' ? role(r.metadata.name, []) : r,
      ),
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    expect([...reused.causes.values()].map((c) => [c.trigger, c.capability])).toEqual([
      ['AccountabilityVacant', 'forecasting'],
    ]);
    expect(finding(reused, 'chat')).toBe(finding(first, 'chat'));
  });

  it('plans again the triggers of a capability without workloads when its namespace’s routing changes', () => {
    const objects = withCapability(governance(), 'forecasting', { accountableRole: 'nobody' });
    const first = planRound(roundInput(objects, running.slice(0, 1)));
    expect([...first.causes.values()].map((c) => c.trigger)).toEqual(['AccountabilityVacant']);
    // A default EscalationPolicy that routes only DelegationExpired: the vacancy raises nothing.
    const [reused, fresh] = after(first, running.slice(0, 1), (o) => ({
      ...o,
      escalationPolicies: [escalationPolicy('default')],
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    expect(reused.causes.size).toBe(0);
  });

  it('plans again the triggers of a capability whose running workloads changed', () => {
    const objects = withCapability(governance(), 'forecasting', {
      suspend: true,
      stopAction: 'DenyNew',
      suspendedBy: 'dana',
    });
    const first = planRound(roundInput(objects, running));
    const second = planRound({
      ...roundInput(objects, [...running, labelled('forecasting', 'forecast-2')]),
      previous: first,
    });
    const fresh = planRound(
      roundInput(objects, [...running, labelled('forecasting', 'forecast-2')]),
    );
    expect(observable(second)).toEqual(observable(fresh));
    const suspended = [...second.causes.values()].filter(
      (c) => c.trigger === 'CapabilitySuspended',
    );
    expect(suspended.map((c) => c.summary)).toEqual([
      expect.stringContaining('but 2 workloads still run'),
    ]);
    expect(finding(second, 'forecast')).toBe(finding(first, 'forecast'));
  });

  it('plans again only the statuses that read its part', () => {
    const first = planRound(roundInput(governance(), running));
    const [reused, fresh] = after(first, running, (o) =>
      withCapability(o, 'forecasting', { description: 'Forecasts demand.' }),
    );
    expect(observable(reused)).toEqual(observable(fresh));
    const plan = (round: RoundPlan, key: string) => {
      const object = round.statuses.get(key)?.object;
      return object === undefined ? undefined : round.memo.statuses.get(object);
    };
    const kept = ['Capability/ml/chat-assistant', 'Delegation/ml/chat-assistant-chat-bot'];
    for (const key of kept) expect(plan(reused, key)).toBe(plan(first, key));
    expect(plan(reused, 'Capability/ml/forecasting')).not.toBe(
      plan(first, 'Capability/ml/forecasting'),
    );
  });

  it('plans again the status of a Delegation whose capability is deleted', () => {
    const first = planRound(roundInput(governance(), running.slice(0, 1)));
    const [reused, fresh] = after(first, [], (o) => ({
      ...o,
      capabilities: (o.capabilities ?? []).filter((c) => c.metadata.name !== CAPABILITY),
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    const ready = (round: RoundPlan) => delegationCondition(round, 'Ready');
    expect([ready(first), ready(reused)]).toEqual(['True', 'False']);
  });

  it('plans again the status of a Delegation when its namespace’s lead time changes', () => {
    // The Delegation runs until 2026-07-01, 30 days away: expiring under a lead time of 45 days.
    const first = planRound(roundInput(governance(), []));
    const [reused, fresh] = after(first, [], (o) => ({
      ...o,
      escalationPolicies: [
        escalationPolicy('default', {
          triggers: [{ type: 'DelegationExpiring', severity: 'Warning', leadTime: '45d' }],
        }),
      ],
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    const expiring = (round: RoundPlan) => delegationCondition(round, 'Expiring');
    expect([expiring(first), expiring(reused)]).toEqual(['False', 'True']);
  });

  /** A round after the first, from the objects with the statuses it planned written back. */
  function written(workloads: JsonRecord[]): RoundPlan {
    const planned = planRound(roundInput(governance(), workloads));
    // As the cache hands the objects out after the controller wrote their statuses.
    const objects = withPlannedStatuses(planned.objects, planned);
    return planRound({
      ...roundInput(objects, workloads),
      snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }, planned.snapshot),
      previous: planned,
    });
  }

  it.each([
    ['Capability', 'ml', 'forecasting'],
    ['AccountableRole', undefined, 'chief-risk-officer'],
  ])(
    'plans again the status of a %s the schema refuses, the object unchanged',
    (kind, namespace, name) => {
      // The cache keeps the last valid version of an object whose new version its schema refuses.
      const first = written([]);
      const invalid = [{ kind, namespace, name, part: 'spec' as const, issues: ['x'] }];
      const input = { ...roundInput(first.objects, []), snapshot: first.snapshot, invalid };
      const reused = planRound({ ...input, previous: first });
      expect(observable(reused)).toEqual(observable(planRound(input)));
      expect(observable(reused)).not.toEqual(observable(first));
      // The refusal withdrawn, the same object still cached: planned as before it.
      const cleared = { ...input, invalid: [] };
      const again = planRound({ ...cleared, previous: reused });
      expect(observable(again)).toEqual(observable(planRound(cleared)));
      expect(observable(again)).toEqual(observable(first));
    },
  );

  it('keeps the cluster-scoped statuses whole while no role’s dependents changed', () => {
    const first = written(running);
    const [reused, fresh] = after(first, running, (o) =>
      withCapability(o, 'forecasting', { description: 'Forecasts demand.' }),
    );
    expect(observable(reused)).toEqual(observable(fresh));
    expect(reused.memo.cluster).toBe(first.memo.cluster);
    // forecasting now answers to chief-risk-officer: that role's dependents changed.
    const [moved, movedFresh] = after(first, running, (o) =>
      withCapability(o, 'forecasting', { accountableRole: 'chief-risk-officer' }),
    );
    expect(observable(moved)).toEqual(observable(movedFresh));
    expect(moved.memo.cluster).not.toBe(first.memo.cluster);
    expect(
      JSON.stringify(moved.statuses.get('AccountableRole//chief-risk-officer')?.wanted),
    ).toContain('ml/forecasting');
  });

  it('audits again every workload of the namespace when its EscalationPolicies change', () => {
    const first = planRound(roundInput(governance(), running));
    const [reused, fresh] = after(first, running, (o) => ({
      ...o,
      escalationPolicies: [escalationPolicy('ladder')],
    }));
    expect(observable(reused)).toEqual(observable(fresh));
    for (const name of ['chat', 'forecast', 'unanchored']) {
      expect(finding(reused, name)).not.toBe(finding(first, name));
    }
  });
});

describe('a round after the controller wrote statuses', () => {
  it('reuses the namespace when objects changed only their status (same spec objects)', () => {
    const workloads = [deployment({ ...anchoredOptions, name: 'w' })];
    const objects = governance();
    const input = roundInput(objects, workloads);
    const first = planRound(input);
    expect(first.findings).toHaveLength(1);
    // What the cache hands out after a status write: new objects, the same spec objects.
    const written: GovernanceObjects = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) => ({
        ...c,
        metadata: { ...c.metadata, resourceVersion: '2' },
        status: first.statuses.get(`Capability/${c.metadata.namespace ?? ''}/${c.metadata.name}`)
          ?.wanted,
      })),
    };
    const second = planRound({ ...input, objects: written, previous: first });
    expect(second.findings[0]).toBe(first.findings[0]);
    expect(observable(second)).toEqual(observable(planRound({ ...input, objects: written })));
    // A new spec object (say, a label changed) is planned again.
    const relabelled: GovernanceObjects = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) => ({ ...c, spec: { ...c.spec } })),
    };
    const third = planRound({
      ...input,
      objects: relabelled,
      snapshot: buildSnapshot(relabelled, { operatorNamespace: OPERATOR_NAMESPACE }),
      previous: first,
    });
    expect(third.findings[0]).not.toBe(first.findings[0]);
    expect(third.findings[0]).toEqual(first.findings[0]);
  });

  it('reuses the namespace when an annotation changed (same spec objects), planning that status again', () => {
    const workloads = [deployment({ ...anchoredOptions, name: 'w' })];
    const objects = governance();
    const input = roundInput(objects, workloads);
    const first = planRound(input);
    // What the cache hands out after `kubectl annotate`: a new object, the same spec object.
    const annotated: GovernanceObjects = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) => ({
        ...c,
        metadata: { ...c.metadata, resourceVersion: '2', annotations: { 'example.com/a': 'b' } },
      })),
    };
    const snapshot = buildSnapshot(
      annotated,
      { operatorNamespace: OPERATOR_NAMESPACE },
      input.snapshot,
    );
    const second = planRound({ ...input, objects: annotated, snapshot, previous: first });
    expect(second.findings[0]).toBe(first.findings[0]);
    const key = `Capability/${objects.capabilities?.[0]?.metadata.namespace ?? ''}/${objects.capabilities?.[0]?.metadata.name ?? ''}`;
    expect(second.statuses.get(key)?.object).toBe(annotated.capabilities?.[0]);
    expect(observable(second)).toEqual(
      observable(planRound({ ...input, objects: annotated, snapshot })),
    );
  });

  it('plans an unchanged status as the stored one, and forgets the items of replaced objects', () => {
    const objects = governance();
    const input = roundInput(objects);
    const first = planRound(input);
    const keyOf = (c: {
      metadata: { namespace?: string | undefined; name?: string | undefined };
    }) => `Capability/${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`;
    // As the cache hands them out after the write: the status as planned, as a parsed copy.
    const written: GovernanceObjects = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) => ({
        ...c,
        metadata: { ...c.metadata, resourceVersion: '2' },
        status: structuredClone(first.statuses.get(keyOf(c))?.wanted),
      })),
    };
    // The clock moved: the namespace is planned again, from the written objects.
    const second = planRound({
      ...input,
      objects: written,
      previous: first,
      now: new Date(now + 1),
    });
    for (const c of written.capabilities ?? []) {
      expect(second.statuses.get(keyOf(c))?.wanted).toBe(c.status);
    }
    for (const c of objects.capabilities ?? []) expect(second.memo.statuses.has(c)).toBe(false);
    for (const c of written.capabilities ?? []) expect(second.memo.statuses.has(c)).toBe(true);
  });
});

describe('a round after the controller wrote the statuses it planned', () => {
  const keyOf = (o: {
    kind: string;
    metadata: { namespace?: string | undefined; name?: string | undefined };
  }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  /** The objects as the operator's cache hands them out after `round`'s writes. */
  function echoes(objects: GovernanceObjects, round: RoundPlan): GovernanceObjects {
    // New objects, the same specs, and as status the very object the round wanted.
    const echo = <T extends StatusObject>(list: readonly T[] | undefined): T[] =>
      (list ?? []).map((o) => ({
        ...o,
        metadata: { ...o.metadata, resourceVersion: '2' },
        status: round.statuses.get(keyOf(o))?.wanted,
      }));
    return {
      ...objects,
      roles: echo(objects.roles),
      capabilities: echo(objects.capabilities),
      delegations: echo(objects.delegations),
    };
  }
  const workloads = [deployment({ ...anchoredOptions, name: 'w' })];
  const objects = governance();
  const input = roundInput(objects, workloads);
  const later = (o: GovernanceObjects) => ({ ...input, objects: o, now: new Date(now + 1000) });
  const statusObjects = (o: GovernanceObjects): StatusObject[] => [
    ...(o.roles ?? []),
    ...(o.capabilities ?? []),
    ...(o.delegations ?? []),
  ];

  it('takes back the plan of each status written back as planned, and computes none again', () => {
    const first = planRound(input);
    const plans = new Map(
      [...first.statuses.entries()].map(([key, p]) => [key, first.memo.statuses.get(p.object)]),
    );
    const written = echoes(objects, first);
    const second = planRound({ ...later(written), previous: first });
    expect(statusObjects(written).length).toBeGreaterThan(2);
    for (const o of statusObjects(written)) {
      // The very plan of the version before: nothing computed again.
      expect(plans.get(keyOf(o))).toBeDefined();
      expect(second.memo.statuses.get(o)).toBe(plans.get(keyOf(o)));
      expect(second.statuses.get(keyOf(o))?.wanted).toBe(o.status);
    }
    // Nor is any namespace planned again: each keeps its previous plan, of the new objects.
    for (const [namespace, part] of first.memo.namespaces) {
      const kept = second.memo.namespaces.get(namespace);
      expect(kept?.findings).toBe(part.findings);
      expect(kept?.objects).not.toBe(part.objects);
    }
    // And what a round planning them afresh plans, transition times included.
    const fresh = planRound(later(written));
    for (const o of statusObjects(written)) {
      expect(second.statuses.get(keyOf(o))?.wanted).toEqual(fresh.statuses.get(keyOf(o))?.wanted);
    }
  });

  it('plans again a status written back to an object of the same name with another uid', () => {
    const first = planRound(input);
    const written = echoes(objects, first);
    const [capability, ...others] = written.capabilities ?? [];
    if (capability === undefined) throw new Error('no capability');
    const recreated = { ...capability, metadata: { ...capability.metadata, uid: 'another' } };
    const second = planRound({
      ...later({ ...written, capabilities: [recreated, ...others] }),
      previous: first,
    });
    const before = first.statuses.get(keyOf(capability))?.object;
    expect(before).toBeDefined();
    expect(second.memo.statuses.get(recreated)).not.toBe(first.memo.statuses.get(before ?? {}));
    expect(second.uids.get(keyOf(capability))).toBe('another');
  });

  it('plans again a status written back as an equal copy, or with another spec or generation', () => {
    const first = planRound(input);
    const written = echoes(objects, first);
    const copied: GovernanceObjects = {
      ...written,
      roles: (written.roles ?? []).map((r) => ({ ...r, spec: { ...r.spec } })),
      capabilities: (written.capabilities ?? []).map((c) => ({
        ...c,
        status: structuredClone(c.status),
      })),
      delegations: (written.delegations ?? []).map((d) => ({
        ...d,
        metadata: { ...d.metadata, generation: (d.metadata.generation ?? 1) + 1 },
      })),
    };
    const plans = new Map(
      [...first.statuses.entries()].map(([key, p]) => [key, first.memo.statuses.get(p.object)]),
    );
    const second = planRound({ ...later(copied), previous: first });
    expect(statusObjects(copied).length).toBeGreaterThan(2);
    for (const o of statusObjects(copied)) {
      expect(plans.get(keyOf(o))).toBeDefined();
      expect(second.memo.statuses.get(o)).not.toBe(plans.get(keyOf(o)));
    }
  });
});

/** Status and causes without the instants a round stamps (lastTransitionTime is `now` on a first write). */
function observable(round: RoundPlan): unknown {
  const statuses = [...round.statuses.entries()].map(([key, s]): [string, unknown] => [
    key,
    JSON.parse(
      JSON.stringify(s.wanted, (k, v: unknown) => (k === 'lastTransitionTime' ? undefined : v)),
    ) as unknown,
  ]);
  return {
    statuses,
    causes: [...round.causes.values()],
    findings: round.findings.map((f) => [f.workload.name, f.reason, f.message]),
    stops: [...round.stops.keys()],
  };
}

const at = (offsetHours: number) => iso(now + offsetHours * HOUR).replace('.000Z', 'Z');
const offset = fc.integer({ min: -40 * 24, max: 40 * 24 });

/** The second capability of the random governance. */
const SECOND = 'second';
/** A capability the random governance lacks until a round of the chain adds it. */
const LATER = 'later';

/** Random governance around NOW: attestations, delegations and exemptions start and end near it. */
const governanceArbitrary = fc
  .record({
    holders: fc.array(offset, { minLength: 0, maxLength: 3 }),
    delegations: fc.array(
      fc.record({
        from: offset,
        length: fc.integer({ min: 1, max: 60 * 24 }),
        account: fc.integer({ min: 0, max: 1 }),
      }),
      { maxLength: 3 },
    ),
    exemptions: fc.array(fc.record({ expires: offset, approved: fc.boolean() }), { maxLength: 2 }),
    escalations: fc.array(
      fc.record({
        opened: fc.integer({ min: -10, max: 0 }),
        level: fc.integer({ min: 0, max: 2 }),
        resolved: fc.option(offset, { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
    risk: fc.constantFrom('High', 'Limited'),
    ladder: fc.boolean(),
    workloads: fc.integer({ min: 0, max: 2 }),
    // A second capability with its own workloads and Delegation, and workloads that name no
    // capability or one the namespace does not have.
    second: fc.record({
      risk: fc.constantFrom('High', 'Minimal'),
      suspend: fc.boolean(),
      workloads: fc.integer({ min: 0, max: 2 }),
      delegated: fc.boolean(),
    }),
    unanchored: fc.integer({ min: 0, max: 1 }),
    misnamed: fc.integer({ min: 0, max: 1 }),
  })
  .map((g) => {
    const overrides: Partial<GovernanceObjects> = {
      roles: [
        role(
          undefined,
          g.holders.map((h, i) => holder(`user-${String(i)}`, at(h))),
        ),
        role('chief-risk-officer', [holder('dana')]),
      ],
      capabilities: [
        capability(undefined, {
          riskTier: g.risk,
          ...(g.ladder ? { escalationPolicy: 'ladder' } : {}),
        }),
        capability(SECOND, {
          riskTier: g.second.risk,
          accountableRole: 'chief-risk-officer',
          ...(g.second.suspend
            ? { suspend: true, stopAction: 'ScaleToZero', suspendedBy: 'dana' }
            : {}),
        }),
      ],
      delegations: [
        ...g.delegations.map((d, i) =>
          delegation(`d-${String(i)}`, {
            serviceAccount: `sa-${String(d.account)}`,
            validFrom: at(d.from),
            validUntil: at(d.from + d.length),
          }),
        ),
        ...(g.second.delegated
          ? [delegation('second', { capability: SECOND, serviceAccount: SERVICE_ACCOUNT })]
          : []),
      ],
      exemptions: g.exemptions.map((e, i) =>
        exemption(`e-${String(i)}`, {
          expiresAt: at(e.expires),
          approved: e.approved,
          ...(e.approved ? {} : { approvedBy: undefined }),
          scope: { names: ['incident'] },
        }),
      ),
      escalationPolicies: [escalationPolicy('ladder')],
      escalations: g.escalations.map((e, i) =>
        created(
          escalation(
            `x-${String(i)}`,
            { policy: 'ladder' },
            { level: e.level, ...(e.resolved === undefined ? {} : { resolvedAt: at(e.resolved) }) },
          ),
          at(e.opened),
        ),
      ),
    };
    const named = (capabilityName: string) => ({
      ...anchoredOptions,
      labels: { [LABEL_CAPABILITY]: capabilityName },
      templateLabels: { [LABEL_CAPABILITY]: capabilityName },
    });
    const workloads = [
      ...Array.from({ length: g.workloads }, (_, i) =>
        deployment({ ...anchoredOptions, name: `w-${String(i)}` }),
      ),
      ...Array.from({ length: g.second.workloads }, (_, i) =>
        deployment({ ...named(SECOND), name: `s-${String(i)}` }),
      ),
      ...Array.from({ length: g.unanchored }, (_, i) =>
        deployment({ image: anchoredOptions.image, name: `u-${String(i)}` }),
      ),
      ...Array.from({ length: g.misnamed }, (_, i) =>
        deployment({ ...named(LATER), name: `m-${String(i)}` }),
      ),
    ];
    return { overrides, workloads };
  });

describe('triggers and wake-ups cannot diverge (property)', () => {
  it('the wake-up is the earliest next-change time of the triggers, statuses and escalations', () => {
    fc.assert(
      fc.property(governanceArbitrary, ({ overrides, workloads }) => {
        const round = plan(overrides, now, workloads);
        const times = [
          ...round.triggers.map((t) => t.changesAt),
          ...[...round.statuses.values()].map((s) => s.changesAt),
          ...[...round.snapshot.escalations.values()].map((e) =>
            episodeChangesAt(round.snapshot, e, now),
          ),
        ].filter((t): t is number => t !== undefined);
        expect(round.wakeAt).toBe(times.length === 0 ? undefined : Math.min(...times));
        for (const t of times) expect(t).toBeGreaterThan(now);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('nothing a round plans changes between now and the wake-up', () => {
    fc.assert(
      fc.property(
        governanceArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ overrides, workloads }, fraction) => {
          const round = plan(overrides, now, workloads);
          const until = round.wakeAt ?? now + 400 * DAY;
          const later = now + Math.floor((until - 1 - now) * fraction);
          expect(observable(plan(overrides, later, workloads))).toEqual(observable(round));
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  it('a round that reuses the previous one plans the same as one that does not', () => {
    fc.assert(
      fc.property(
        governanceArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        ({ overrides, workloads }, fraction, change) => {
          const first = plan(overrides, now, workloads);
          const until = first.wakeAt ?? now + 400 * DAY;
          const later = now + Math.floor((until - now) * fraction);
          const objects = governance(overrides);
          // Either the same objects, or one capability replaced by an equal copy with another role.
          const next: GovernanceObjects = change
            ? {
                ...objects,
                capabilities: (objects.capabilities ?? []).map((c, i) =>
                  i === 0
                    ? { ...c, spec: { ...c.spec, accountableRole: 'chief-risk-officer' } }
                    : c,
                ),
              }
            : objects;
          const input = {
            snapshot: buildSnapshot(next, { operatorNamespace: OPERATOR_NAMESPACE }),
            objects: next,
            workloads,
            namespaceLabels: () => undefined,
            invalid: [],
            now: new Date(later),
          };
          const previous = planRound({
            ...input,
            snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
            objects,
            now: NOW,
          });
          expect(observable(planRound({ ...input, previous }))).toEqual(
            observable(planRound(input)),
          );
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  it('a chain of rounds reusing each other plans the same as fresh ones', () => {
    const step = fc.constantFrom(
      'nothing',
      'status',
      'annotations',
      'role',
      'workload',
      'delegation',
      'exemption',
      'labels',
      'echo',
      'suspend',
      'second-role',
      'add',
      'remove',
      'second-delegation',
      'refuse',
    );
    fc.assert(
      fc.property(
        governanceArbitrary,
        fc.array(fc.tuple(step, fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 5,
        }),
        ({ overrides, workloads }, steps) => {
          let objects = governance(overrides);
          let running = workloads;
          let at = now;
          let previous: RoundPlan | undefined;
          const snapshotOf = (o: GovernanceObjects) =>
            buildSnapshot(o, { operatorNamespace: OPERATOR_NAMESPACE });
          let snapshot = snapshotOf(objects);
          let labels: Record<string, string> | undefined;
          let refused: InvalidInput[] = [];
          for (const [change, fraction] of steps) {
            const capabilities = objects.capabilities ?? [];
            if (change === 'status') {
              // What the cache hands out after a status write: new objects, the same specs.
              objects = {
                ...objects,
                capabilities: capabilities.map((c) => ({
                  ...c,
                  metadata: { ...c.metadata, resourceVersion: String(at) },
                })),
              };
            } else if (change === 'annotations') {
              // An annotation written (kubectl apply, a GitOps tool): new objects, the same specs
              // (operator/cache/schema-gate.ts), on every kind whose spec is an input of the plan.
              const annotated = <T extends StatusObject>(list: readonly T[] | undefined): T[] =>
                (list ?? []).map((o) => ({
                  ...o,
                  metadata: {
                    ...o.metadata,
                    resourceVersion: String(at),
                    annotations: { 'example.com/tick': String(at) },
                  },
                }));
              objects = {
                ...objects,
                capabilities: annotated(objects.capabilities),
                delegations: annotated(objects.delegations),
                roles: annotated(objects.roles),
                exemptions: annotated(objects.exemptions),
                policies: annotated(objects.policies),
              };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'role') {
              objects = {
                ...objects,
                capabilities: capabilities.map((c) => ({
                  ...c,
                  spec: {
                    ...c.spec,
                    accountableRole:
                      c.spec.accountableRole === 'chief-risk-officer'
                        ? 'head-of-ai'
                        : 'chief-risk-officer',
                  },
                })),
              };
              snapshot = snapshotOf(objects);
            } else if (change === 'workload') {
              running = [...running, deployment({ ...anchoredOptions, name: `n-${String(at)}` })];
            } else if (change === 'delegation') {
              // One Delegation revoked, or given back: the snapshot rebuilt from the previous one.
              objects = {
                ...objects,
                delegations: (objects.delegations ?? []).map((d, i) =>
                  i === 0 ? { ...d, spec: { ...d.spec, revoked: !d.spec.revoked } } : d,
                ),
              };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'exemption') {
              objects = { ...objects, exemptions: (objects.exemptions ?? []).slice(1) };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'suspend' || change === 'second-role') {
              // One capability's spec changed: the stop button, or its role swapped.
              objects = {
                ...objects,
                capabilities: capabilities.map((c) => {
                  if (c.metadata.name !== SECOND) return c;
                  const { spec } = c;
                  if (change === 'second-role') {
                    const swapped =
                      spec.accountableRole === 'chief-risk-officer'
                        ? 'model-risk-officer'
                        : 'chief-risk-officer';
                    return { ...c, spec: { ...spec, accountableRole: swapped } };
                  }
                  return {
                    ...c,
                    spec: spec.suspend
                      ? { ...spec, suspend: false, resumedBy: 'dana' }
                      : { ...spec, suspend: true, stopAction: 'ScaleToZero', suspendedBy: 'dana' },
                  };
                }),
              };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'add' || change === 'remove') {
              // A capability created or deleted: the names a workload naming none is told change.
              const others = capabilities.filter((c) => c.metadata.name !== LATER);
              objects = {
                ...objects,
                capabilities:
                  change === 'add'
                    ? [...others, capability(LATER, { riskTier: 'Minimal' })]
                    : others,
              };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'second-delegation') {
              // The second capability's Delegation revoked or given back, or created.
              const delegations = objects.delegations ?? [];
              const found = delegations.some((d) => d.metadata.name === 'second');
              objects = {
                ...objects,
                delegations: found
                  ? delegations.map((d) =>
                      d.metadata.name === 'second'
                        ? { ...d, spec: { ...d.spec, revoked: !d.spec.revoked } }
                        : d,
                    )
                  : [
                      ...delegations,
                      delegation('second', {
                        capability: SECOND,
                        serviceAccount: SERVICE_ACCOUNT,
                      }),
                    ],
              };
              snapshot = buildSnapshot(
                objects,
                { operatorNamespace: OPERATOR_NAMESPACE },
                snapshot,
              );
            } else if (change === 'refuse') {
              // A newer version of a role or of the second capability refused by its schema, the
              // cache keeping the very same object; or the refusal withdrawn.
              const [kind, namespace, name] =
                fraction < 0.5
                  ? ['AccountableRole', undefined, 'chief-risk-officer']
                  : ['Capability', 'ml', SECOND];
              refused =
                refused.length > 0 ? [] : [{ kind, namespace, name, part: 'spec', issues: ['x'] }];
            } else if (change === 'labels') {
              labels = { environment: labels === undefined ? 'sandbox' : String(at) };
            } else if (change === 'echo' && previous !== undefined) {
              // The controller wrote what the round wanted: new objects, the same specs, and as
              // status the very object wanted (the cache keeps the writer's own).
              const planned = previous.statuses;
              const echo = <T extends StatusObject>(list: readonly T[] | undefined): T[] =>
                (list ?? []).map((o) => ({
                  ...o,
                  metadata: { ...o.metadata, resourceVersion: String(at) },
                  status: planned.get(
                    `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`,
                  )?.wanted,
                }));
              objects = {
                ...objects,
                policies: echo(objects.policies),
                roles: echo(objects.roles),
                capabilities: echo(capabilities),
                delegations: echo(objects.delegations),
                exemptions: echo(objects.exemptions),
              };
            }
            const namespaceLabels = labels;
            const input = {
              snapshot,
              objects,
              workloads: running,
              namespaceLabels: () => namespaceLabels,
              invalid: refused,
              now: new Date(at),
            };
            const reused = planRound({ ...input, previous });
            const fresh = planRound(input);
            expect(observable(reused)).toEqual(observable(fresh));
            if (change === 'echo') {
              // Statuses as stored: a fresh round reads their transition times, as reused ones keep.
              expect([...reused.statuses.entries()].map(([k, p]) => [k, p.wanted])).toEqual(
                [...fresh.statuses.entries()].map(([k, p]) => [k, p.wanted]),
              );
            }
            expect(reused.wakeAt).toBe(fresh.wakeAt);
            // What the next round's check of the roles compares with.
            expect(reused.memo.cluster?.index).toBe(roleIndex(snapshot));
            previous = reused;
            const until = reused.wakeAt ?? at + 400 * DAY;
            at += Math.floor((until - at) * fraction * 0.99);
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
