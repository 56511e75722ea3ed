import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, type GovernanceObjects } from '../snapshot.js';
import {
  anchoredOptions,
  capability,
  delegation,
  deployment,
  exemption,
  governance,
  NOW,
  OPERATOR_NAMESPACE,
} from '../testing/fixtures.js';
import { regroup } from './grouping.js';
import { replacedAt } from '../list-delta.js';
import { planRound, type RoundInput, type RoundPlan } from './round.js';

/** Two namespaces: the fixtures' `ml`, and `fraud` with a capability and delegation of its own. */
function twoNamespaces(): GovernanceObjects {
  const base = governance();
  return {
    ...base,
    capabilities: [...(base.capabilities ?? []), capability('scoring', {}, 'fraud')],
    delegations: [...(base.delegations ?? []), delegation('scorer', {}, 'fraud')],
  };
}

const workloads = [
  deployment({ ...anchoredOptions, name: 'chat' }),
  deployment({ ...anchoredOptions, name: 'scoring', namespace: 'fraud' }),
  // A namespace with workloads and no governance objects of its own.
  deployment({ ...anchoredOptions, name: 'nightly', namespace: 'batch' }),
];

/** As the cache builds it: the previous round's snapshot gives every part that did not change. */
function input(objects: GovernanceObjects, previous?: RoundPlan): RoundInput {
  return {
    snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }, previous?.snapshot),
    objects,
    workloads,
    namespaceLabels: () => undefined,
    invalid: [],
    now: NOW,
    previous,
  };
}

/** `objects` with the first object of `field` in namespace `fraud` replaced by `change(it)`. */
function changedInFraud<K extends 'capabilities' | 'delegations'>(
  objects: GovernanceObjects,
  field: K,
  change: (object: NonNullable<GovernanceObjects[K]>[number]) => unknown,
): GovernanceObjects {
  const list = objects[field] ?? [];
  return {
    ...objects,
    [field]: list.map((o) => (o.metadata.namespace === 'fraud' ? change(o) : o)),
  };
}

/** What a generator that never yields returns. */
function grouped<T>(steps: Generator<void, T, void>): T {
  const step = steps.next();
  if (step.done !== true) throw new Error('it yielded');
  return step.value;
}

describe('regroup', () => {
  const tick = () => false;
  const namespaceOf = (item: { ns?: string }) => item.ns;

  it('is the previous grouping while the source is the very same', () => {
    const items = [{ ns: 'a' }, { ns: 'b' }, {}];
    const first = grouped(regroup(items, items, namespaceOf, undefined, tick));
    expect(grouped(regroup(items, items, namespaceOf, first, tick))).toBe(first);
  });

  it('keeps the group of a namespace whose items are the very same, and makes the changed ones anew', () => {
    const a = { ns: 'a' };
    const b = { ns: 'b' };
    const cluster = {};
    const items = [a, b, cluster];
    const first = grouped(regroup(items, items, namespaceOf, undefined, tick));
    const b2 = { ns: 'b' };
    const next = [a, b2, cluster];
    const second = grouped(regroup(next, next, namespaceOf, first, tick));
    expect(second.by.get('a')).toBe(first.by.get('a'));
    expect(second.by.get('b')).not.toBe(first.by.get('b'));
    expect(second.by.get('b')).toEqual([b2]);
    expect(second.cluster).toBe(first.cluster);
  });

  it('swaps in items replaced in place without reading the namespace of the others', () => {
    const a = { ns: 'a' };
    const b = { ns: 'b' };
    const cluster = {};
    const a2 = { ns: 'a' };
    const first = grouped(regroup('v1', [a, b, cluster, a2], namespaceOf, undefined, tick));
    const b2 = { ns: 'b' };
    const cluster2 = {};
    let read = 0;
    const counted = (item: { ns?: string }) => {
      read += 1;
      return item.ns;
    };
    const next = [a, b2, cluster2, a2];
    const second = grouped(regroup('v2', next, counted, first, tick));
    // The two replaced items and the two they replace.
    expect(read).toBe(4);
    expect(second.by.get('a')).toBe(first.by.get('a'));
    expect(second.by.get('b')).toEqual([b2]);
    expect(second.cluster).toEqual([cluster2]);
    expect(second.items).toBe(next);
    // An equal list of the very same items, under another source: every group kept.
    const again = grouped(regroup('v3', [...next], namespaceOf, second, tick));
    expect(again.by).toBe(second.by);
    expect(again.cluster).toBe(second.cluster);
  });

  it('groups as a fresh grouping would, whatever changed between two lists', () => {
    interface Item {
      readonly id: number;
      readonly ns?: string;
    }
    const namespaces = fc.constantFrom('a', 'b', 'c', undefined);
    const item = fc.record({ id: fc.nat(20), ns: namespaces }, { requiredKeys: ['id'] });
    // An edit of a list: keep, replace in place (same namespace or not), add, remove, repeat.
    const edit = fc.constantFrom('keep', 'replace', 'move', 'add', 'remove', 'repeat');
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        fc.array(edit, { maxLength: 12 }),
        fc.boolean(),
        (items, edits, recorded) => {
          const edited: Item[] = [];
          items.forEach((it, i) => {
            const e = edits[i] ?? 'keep';
            if (e === 'keep') edited.push(it);
            else if (e === 'replace') edited.push({ ...it });
            else if (e === 'move') edited.push({ ...it, ns: it.ns === 'a' ? 'b' : 'a' });
            else if (e === 'add') edited.push(it, { id: 99, ns: 'c' });
            else if (e === 'repeat') edited.push(items[0] ?? it);
          });
          let next: readonly Item[] = edited;
          // Of the same length, made as the schema gate makes it: the positions replaced known.
          if (recorded && edited.length === items.length) {
            next = replacedAt(items, new Map(edited.map((x, i) => [i, x])));
          }
          const ofItem = (x: Item) => x.ns;
          const before = grouped(regroup(items, items, ofItem, undefined, tick));
          const reused = grouped(regroup(next, next, ofItem, before, tick));
          const fresh = grouped(regroup(next, next, ofItem, undefined, tick));
          expect([...reused.by.keys()].sort()).toEqual([...fresh.by.keys()].sort());
          const groups: [readonly Item[], readonly Item[] | undefined][] = [
            [reused.cluster, fresh.cluster],
            ...[...reused.by].map(([ns, group]): [readonly Item[], readonly Item[] | undefined] => [
              group,
              fresh.by.get(ns),
            ]),
          ];
          for (const [group, expected] of groups) {
            expect(group.length).toBe(expected?.length);
            group.forEach((x, i) => {
              expect(x).toBe(expected?.[i]);
            });
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('a round after a change in one namespace', () => {
  it('keeps the other namespace’s objects and inputs by identity, and plans only the changed one', () => {
    const objects = twoNamespaces();
    const first = planRound(input(objects));
    const next = changedInFraud(objects, 'capabilities', (c) => ({
      ...c,
      spec: { ...c.spec, description: 'Scores card payments, now for wires too.' },
    }));
    const second = planRound(input(next, first));
    expect(second.memo.grouping.objectsBy.get('ml')).toBe(first.memo.grouping.objectsBy.get('ml'));
    expect(second.memo.inputs.inputs.get('ml')).toBe(first.memo.inputs.inputs.get('ml'));
    expect(second.memo.namespaces.get('ml')).toBe(first.memo.namespaces.get('ml'));
    expect(first.memo.inputs.inputs.get('batch')).toBeDefined();
    expect(second.memo.inputs.inputs.get('batch')).toBe(first.memo.inputs.inputs.get('batch'));
    expect(second.memo.inputs.inputs.get('fraud')).not.toBe(first.memo.inputs.inputs.get('fraud'));
    expect(second.memo.namespaces.get('fraud')).not.toBe(first.memo.namespaces.get('fraud'));
    expect(second.statuses.get('Capability/fraud/scoring')?.object).toBe(
      (next.capabilities ?? []).find((c) => c.metadata.name === 'scoring'),
    );
  });

  it('plans the same as a fresh round after a delegation, an exemption or the labels change', () => {
    const objects = twoNamespaces();
    const first = planRound(input(objects));
    const revoked = changedInFraud(objects, 'delegations', (d) => ({
      ...d,
      spec: { ...d.spec, revoked: true },
    }));
    const exempted: GovernanceObjects = {
      ...objects,
      exemptions: [exemption('incident', { scope: { names: ['scoring'] } }, 'fraud')],
    };
    for (const next of [revoked, exempted]) {
      const reused = planRound(input(next, first));
      const fresh = planRound(input(next));
      expect([...reused.statuses.entries()].map(([k, s]) => [k, s.wanted])).toEqual(
        [...fresh.statuses.entries()].map(([k, s]) => [k, s.wanted]),
      );
      expect(reused.findings).toEqual(fresh.findings);
      expect(reused.memo.inputs.inputs.get('fraud')).not.toBe(
        first.memo.inputs.inputs.get('fraud'),
      );
    }
    const labelled = (labels: Record<string, string>): RoundInput => ({
      ...input(objects, first),
      namespaceLabels: (namespace) => (namespace === 'fraud' ? labels : undefined),
    });
    const relabelled = planRound(labelled({ environment: 'sandbox' }));
    expect(relabelled.memo.inputs.inputs.get('fraud')).not.toBe(
      first.memo.inputs.inputs.get('fraud'),
    );
    expect(relabelled.memo.inputs.inputs.get('ml')).toBe(first.memo.inputs.inputs.get('ml'));
  });
});
