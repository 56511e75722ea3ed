import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  currentHolders,
  delegationKey,
  hasCurrentHolder,
  isCurrentHolder,
  objectKey,
  type GovernanceSnapshot,
} from './snapshot.js';
import {
  capability,
  delegation,
  exemption,
  governance,
  holder,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  role,
  snapshot,
  withSpec,
} from './testing/fixtures.js';
import type { Capability } from '../api/index.js';
import { exemptionDigest } from './exemption-digest.js';
import { replacedAt } from './list-delta.js';

const now = NOW.getTime();

describe('buildSnapshot', () => {
  it('builds from nothing: built-in defaults, empty indexes', () => {
    const empty = buildSnapshot({});
    expect(empty.policy.spec.enforcement).toBe('Enforce');
    expect(empty.capabilities.size + empty.roles.size + empty.delegations.size).toBe(0);
  });

  it('indexes capabilities by namespace and name, and lists their names per namespace', () => {
    const snap = buildSnapshot({
      capabilities: [capability('b'), capability('a'), capability('a', {}, 'other')],
    });
    expect(snap.capabilities.get(objectKey('ml', 'a'))?.name).toBe('a');
    expect(snap.capabilities.get(objectKey('other', 'a'))?.namespace).toBe('other');
    expect(snap.capabilityNames.get('ml')).toEqual(['a', 'b']);
    expect(snap.capabilities.get(objectKey('ml', 'b'))?.allowedImages).toBeUndefined();
    const bounded = buildSnapshot({
      capabilities: [
        capability('c', { boundaries: { allowedImages: ['registry.example.com/*'] } }),
      ],
    });
    expect(bounded.capabilities.get('ml/c')?.allowedImages?.matches('registry.example.com/x')).toBe(
      true,
    );
  });

  it('indexes delegations by namespace, capability and ServiceAccount, latest first', () => {
    const snap = buildSnapshot({
      delegations: [
        delegation('old', { validUntil: '2026-06-02T00:00:00Z' }),
        delegation('new', {
          validUntil: '2026-08-01T00:00:00Z',
          validFrom: '2026-05-01T00:00:00Z',
        }),
        delegation('other', { serviceAccount: 'other' }),
      ],
    });
    const list = snap.delegations.get(delegationKey('ml', 'chat-assistant', 'chat-bot')) ?? [];
    expect(list.map((d) => d.name)).toEqual(['new', 'old']);
    expect(snap.delegatedServiceAccounts.get(objectKey('ml', 'chat-assistant'))).toEqual([
      'chat-bot',
      'other',
    ]);
  });

  it('starts a delegation without validFrom at its creation, or at the beginning of time', () => {
    const created = {
      ...delegation('d', { validFrom: undefined }),
      metadata: { name: 'd', namespace: 'ml', creationTimestamp: '2026-05-05T00:00:00Z' },
    };
    const snap = buildSnapshot({
      delegations: [created, delegation('e', { serviceAccount: 'e', validFrom: undefined })],
    });
    expect(snap.delegations.get(delegationKey('ml', 'chat-assistant', 'chat-bot'))?.[0]?.from).toBe(
      Date.parse('2026-05-05T00:00:00Z'),
    );
    expect(snap.delegations.get(delegationKey('ml', 'chat-assistant', 'e'))?.[0]?.from).toBe(
      -Infinity,
    );
  });

  it('indexes exemptions by the namespace they cover', () => {
    const snap = buildSnapshot(
      {
        exemptions: [
          exemption('here'),
          exemption('central', { scope: { namespace: 'ml', names: ['x'] } }, OPERATOR_NAMESPACE),
          exemption('sneaky', { scope: { namespace: 'prod', names: ['x'] } }, 'ml'),
        ],
      },
      { operatorNamespace: OPERATOR_NAMESPACE },
    );
    expect(snap.exemptions.get('ml')?.map((e) => e.name)).toEqual(['here', 'central']);
    expect(snap.exemptions.get('prod')).toBeUndefined();
  });

  it('never counts a self-approved exemption as approved (even one the schema refuses)', () => {
    const selfApproved = withSpec(exemption('self'), { requestedBy: 'carol', approvedBy: 'carol' });
    const snap = buildSnapshot({ exemptions: [selfApproved, exemption('ok')] });
    expect(snap.exemptions.get('ml')?.map((e) => [e.name, e.approved])).toEqual([
      ['self', false],
      ['ok', true],
    ]);
  });
});

describe('exemptions that got in without admission (the webhook down, or older rules)', () => {
  const central = (spec: object) =>
    exemption(
      'central',
      { scope: { namespace: 'prod', names: ['x'] }, ...spec },
      OPERATOR_NAMESPACE,
    );
  const honoured = (candidate: ReturnType<typeof exemption>, policies = [policy()]) => {
    const found = buildSnapshot(
      { exemptions: [candidate], policies },
      { operatorNamespace: OPERATOR_NAMESPACE },
    ).exemptions.get(candidate.spec.scope.namespace ?? 'ml')?.[0];
    return { approved: found?.approved, why: found?.unhonoured };
  };

  it('are honoured when approved, stamped by two different people and bound to their content', () => {
    expect(honoured(central({}))).toEqual({ approved: true, why: undefined });
  });

  it.each([
    ['without requestedBy', { requestedBy: undefined }, 'not stamped'],
    ['without approvedBy', { approvedBy: undefined }, 'not stamped'],
    ['approved by its requester', { approvedBy: 'carol' }, 'by its requester'],
    ['stamped with a machine', { approvedBy: 'system:kube-scheduler' }, 'must be people'],
    ['without approvedDigest', { approvedDigest: undefined }, 'content changed'],
    ['whose content changed since it was approved', { justification: 'Wider.' }, 'content changed'],
  ])('are never honoured %s, wherever they live', (_, spec, why) => {
    const flawed = withSpec(central({}), spec);
    expect(honoured(flawed).approved).toBe(false);
    expect(honoured(flawed).why).toContain(why);
  });

  it('are never honoured with an empty selector for scope', () => {
    const wide = exemption('wide', { scope: { kinds: [{ group: 'apps', kind: 'Deployment' }] } });
    const emptied = { ...wide, spec: { ...wide.spec, scope: { selector: {} } } };
    const result = honoured({
      ...emptied,
      spec: { ...emptied.spec, approvedDigest: exemptionDigest(emptied.spec) },
    });
    expect(result).toEqual({ approved: false, why: 'its scope is not narrow' });
  });

  it('are never honoured beyond maxExemption from their creation', () => {
    const created = {
      ...central({}),
      metadata: { ...central({}).metadata, creationTimestamp: '2026-05-20T00:00:00Z' },
    };
    expect(honoured(created, [policy({ maxExemption: '7d' })]).approved).toBe(false);
    expect(honoured(created).approved).toBe(true);
  });

  it('are never honoured when the policy names the approver a machine', () => {
    const robots = [policy({ machineIdentities: { users: ['alice'] } })];
    expect(honoured(central({}), robots).why).toContain('must be people');
  });
});

describe('current holders', () => {
  const snap = snapshot({
    roles: [
      role('r', [
        holder('lapsed', '2026-05-01T00:00:00Z'),
        holder('later', '2027-05-01T00:00:00Z'),
        holder('soon', '2026-06-01T12:00:01Z'),
      ]),
    ],
  });
  const indexed = snap.roles.get('r');

  it('are the holders whose attestation has not lapsed at the decision time', () => {
    expect(indexed && currentHolders(indexed, now).map((h) => h.user)).toEqual(['later', 'soon']);
    expect(indexed && currentHolders(indexed, now + 1000).map((h) => h.user)).toEqual(['later']);
    expect(indexed && currentHolders(indexed, Date.parse('2028-01-01T00:00:00Z'))).toEqual([]);
  });

  it('exist exactly when the list of them is not empty, at any time', () => {
    const times = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2028-01-01') });
    const attested = fc.array(times, { maxLength: 5 });
    fc.assert(
      fc.property(attested, times, (untils, at) => {
        const holders = untils.map((until, i) =>
          holder(`user-${String(i)}`, new Date(until).toISOString()),
        );
        const built = snapshot({ roles: [role('r', holders)] }).roles.get('r');
        if (built === undefined) throw new Error('the role was not indexed');
        // At any time, and at each attestation's very end.
        for (const when of [at, ...untils]) {
          expect(hasCurrentHolder(built, when)).toBe(currentHolders(built, when).length > 0);
        }
      }),
    );
    expect(indexed && hasCurrentHolder(indexed, Date.parse('2028-01-01T00:00:00Z'))).toBe(false);
  });

  it('are looked up by user', () => {
    expect(isCurrentHolder(snap, 'r', 'soon', now)).toBe(true);
    expect(isCurrentHolder(snap, 'r', 'lapsed', now)).toBe(false);
    expect(isCurrentHolder(snap, 'r', 'nobody', now)).toBe(false);
    expect(isCurrentHolder(snap, 'missing-role', 'soon', now)).toBe(false);
  });
});

/** A snapshot with its capabilities as a plain Map: what is read, not how it is held. */
function plain(built: GovernanceSnapshot): unknown {
  return { ...built, capabilities: new Map(built.capabilities) };
}

describe('buildSnapshot given the snapshot it replaces', () => {
  it('takes every part whose objects are the same from it, and builds the same snapshot', () => {
    const objects = governance();
    const first = buildSnapshot(objects, { operatorNamespace: 'oos-system' });
    const changed = {
      ...objects,
      capabilities: (objects.capabilities ?? []).map((c) => ({
        ...c,
        spec: { ...c.spec, riskTier: 'High' as const },
      })),
    };
    const rebuilt = buildSnapshot(changed, { operatorNamespace: 'oos-system' }, first);
    const fresh = buildSnapshot(changed, { operatorNamespace: 'oos-system' });
    expect(plain(rebuilt)).toEqual(plain(fresh));
    expect(rebuilt.capabilities).not.toBe(first.capabilities);
    expect(rebuilt.delegations).toBe(first.delegations);
    expect(rebuilt.roles).toBe(first.roles);
    expect(rebuilt.exemptions).toBe(first.exemptions);
    expect(rebuilt.policy).toBe(first.policy);
  });

  it('indexes the exemptions again when the policy or the operator namespace changes', () => {
    const objects = governance();
    const first = buildSnapshot(objects, { operatorNamespace: 'oos-system' });
    const moved = buildSnapshot(objects, { operatorNamespace: 'elsewhere' }, first);
    expect(moved.exemptions).not.toBe(first.exemptions);
    expect(moved.policy).not.toBe(first.policy);
    expect(moved).toEqual(buildSnapshot(objects, { operatorNamespace: 'elsewhere' }));
  });

  it('re-indexes only the capabilities replaced in place, the same as indexing afresh', () => {
    const NAMES = ['a', 'b', 'c', 'd', 'e'];
    const edit = fc.record({
      at: fc.nat(),
      what: fc.constantFrom('tier', 'images', 'rename', 'add', 'remove', 'same'),
    });
    // Recorded: when the list keeps its length, made as the schema gate makes it (`replacedAt`,
    // which says which positions changed), so the re-index reads those only.
    const round = fc.tuple(fc.array(edit, { maxLength: 3 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(round, { maxLength: 12 }), (rounds) => {
        let list: readonly Capability[] = NAMES.slice(0, 3).map((name, i) =>
          capability(name, {}, i % 2 === 0 ? 'team-a' : 'team-b'),
        );
        let last = buildSnapshot({ capabilities: list });
        for (const [edits, recorded] of rounds) {
          const edited = [...list];
          for (const { at, what } of edits) {
            const i = edited.length === 0 ? 0 : at % edited.length;
            const c = edited[i];
            if (what === 'add' || c === undefined) {
              edited.push(capability(NAMES[at % NAMES.length], {}, 'team-a'));
            } else if (what === 'remove') edited.splice(i, 1);
            else if (what === 'rename') {
              edited[i] = { ...c, metadata: { ...c.metadata, name: `${c.metadata.name}-x` } };
            } else if (what === 'tier') edited[i] = withSpec(c, { riskTier: 'High' });
            else if (what === 'images') {
              edited[i] = withSpec(c, { boundaries: { allowedImages: [`img-${String(at)}/*`] } });
            }
          }
          let next: readonly Capability[] = edited;
          if (recorded && edited.length === list.length) {
            next = replacedAt(list, new Map(edited.map((c, i) => [i, c])));
            expect(next).toEqual(edited);
          }
          const rebuilt = buildSnapshot({ capabilities: next }, {}, last);
          const fresh = buildSnapshot({ capabilities: next });
          expect(plain(rebuilt)).toEqual(plain(fresh));
          expect([...rebuilt.capabilities.entries()]).toEqual([...fresh.capabilities.entries()]);
          expect([...rebuilt.capabilities.keys()]).toEqual([...fresh.capabilities.keys()]);
          expect([...rebuilt.capabilityNames]).toEqual([...fresh.capabilityNames]);
          list = next;
          last = rebuilt;
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000);

  it('keeps the map it replaces as it was (a decision in flight may still read it)', () => {
    const list = [capability('a'), capability('b')];
    const first = buildSnapshot({ capabilities: list });
    const firstA = first.capabilities.get(objectKey(list[0]?.metadata.namespace ?? '', 'a'));
    const changed = [
      withSpec(list[0] ?? capability('a'), { riskTier: 'High' }),
      list[1] ?? capability('b'),
    ];
    const second = buildSnapshot({ capabilities: changed }, {}, first);
    const key = objectKey(list[0]?.metadata.namespace ?? '', 'a');
    expect(first.capabilities.get(key)).toBe(firstA);
    expect(second.capabilities.get(key)?.capability.spec.riskTier).toBe('High');
    expect(second.capabilityNames).toBe(first.capabilityNames);
  });
});
