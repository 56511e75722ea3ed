import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountableRoleKind } from '../../api/index.js';
import { replacedPositions } from '../../engine/list-delta.js';
import { role } from '../../engine/testing/fixtures.js';
import type { StoreChange } from './informer.js';
import { SchemaGate } from './schema-gate.js';

type Raw = Parameters<SchemaGate['admit']>[0][number];

const GOOD_STATUS = {
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason: 'Held',
      message: 'held',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    },
  ],
};

function stored(overrides: Record<string, unknown> = {}, uid = 'uid-1', rv = '1') {
  const base = role();
  return {
    ...base,
    metadata: { ...base.metadata, uid, resourceVersion: rv },
    status: GOOD_STATUS,
    ...overrides,
  };
}

const BAD_STATUS = {
  conditions: [{ type: 'Ready', status: 'Maybe', reason: 'x', lastTransitionTime: 'yesterday' }],
};

describe('SchemaGate: an object that stops matching its schema never silently disappears', () => {
  it('admits valid objects and reports nothing', () => {
    const gate = new SchemaGate(accountableRoleKind);
    expect(gate.admit([stored()])).toHaveLength(1);
    expect(gate.invalid()).toEqual([]);
  });

  it('holds what the schema did not change once: the stored parts, not a parsed copy', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const raw = structuredClone(stored());
    const [parsed] = gate.admit([raw]) as [typeof raw];
    expect(parsed).toEqual(accountableRoleKind.schema.parse(structuredClone(raw)));
    expect(parsed.status).toBe(raw.status);
    expect(parsed.spec.holders).toBe(raw.spec.holders);
    expect(parsed.metadata.uid).toBe('uid-1');
  });

  it('keeps the spec and the last valid status when only the status is bad', () => {
    const gate = new SchemaGate(accountableRoleKind);
    gate.admit([stored()]);
    const out = gate.admit([stored({ status: BAD_STATUS }, 'uid-1', '2')]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ spec: role().spec, status: GOOD_STATUS });
    expect(gate.invalid()).toEqual([
      expect.objectContaining({
        kind: 'AccountableRole',
        part: 'status',
        kept: true,
        resourceVersion: '2',
      }),
    ]);
  });

  it('keeps the spec without a status when a bad status is all it ever had', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const out = gate.admit([stored({ status: BAD_STATUS })]);
    expect(out).toHaveLength(1);
    expect((out[0] as { status?: unknown }).status).toBeUndefined();
    expect(gate.invalid()[0]).toMatchObject({ part: 'status', kept: true });
  });

  it('keeps the last valid version of an object whose spec turns bad', () => {
    const gate = new SchemaGate(accountableRoleKind);
    gate.admit([stored()]);
    const bad = stored({ spec: { ...role().spec, holders: 'nobody' } }, 'uid-1', '3');
    const out = gate.admit([bad]);
    expect(out).toEqual([expect.objectContaining({ spec: role().spec })]);
    expect(gate.invalid()[0]).toMatchObject({ part: 'spec', kept: true });
    expect(gate.invalid()[0]?.issues[0]).toMatch(/^spec\.holders/);
  });

  it('shows the current status and version with the last valid spec, so the controller converges', () => {
    const gate = new SchemaGate(accountableRoleKind);
    gate.admit([stored({ status: undefined })]);
    const written = {
      conditions: [{ ...GOOD_STATUS.conditions[0], reason: 'Written' }],
    };
    const bad = stored(
      { spec: { ...role().spec, holders: 'nobody' }, status: written },
      'uid-1',
      '7',
    );
    const [kept] = gate.admit([bad]) as [
      { metadata: { resourceVersion?: string }; status?: unknown },
    ];
    expect(kept.metadata.resourceVersion).toBe('7');
    expect(kept.status).toEqual(written);
  });

  it('reports but never admits an object that was never valid', () => {
    const gate = new SchemaGate(accountableRoleKind);
    expect(gate.admit([stored({ spec: { title: 'x' } })])).toEqual([]);
    expect(gate.invalid()[0]).toMatchObject({
      part: 'spec',
      kept: false,
      name: role().metadata.name,
    });
  });

  it('never lends the last valid version to a new object of the same name (another uid)', () => {
    const gate = new SchemaGate(accountableRoleKind);
    gate.admit([stored()]);
    expect(gate.admit([stored({ spec: { title: 'x' } }, 'uid-2')])).toEqual([]);
    expect(gate.invalid()[0]).toMatchObject({ kept: false, uid: 'uid-2' });
  });

  it('forgets deleted objects and clears the report once the object is valid again', () => {
    const gate = new SchemaGate(accountableRoleKind);
    gate.admit([stored()]);
    gate.admit([]);
    expect(gate.admit([stored({ spec: { title: 'x' } })])).toEqual([]);
    expect(gate.admit([stored({}, 'uid-1', '5')])).toHaveLength(1);
    expect(gate.invalid()).toEqual([]);
  });

  it('accepts the date variants the apiserver accepts (lowercase t and z)', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const lower = {
      conditions: [{ ...GOOD_STATUS.conditions[0], lastTransitionTime: '2026-01-01t00:00:00z' }],
    };
    expect(gate.admit([stored({ status: lower })])).toHaveLength(1);
    expect(gate.invalid()).toEqual([]);
  });
});

interface Parsed {
  spec: unknown;
  status?: unknown;
  metadata: { resourceVersion?: string };
}

describe('SchemaGate: the same spec object while nothing but the status (and annotations) changes', () => {
  const NEW_STATUS = {
    conditions: [{ ...GOOD_STATUS.conditions[0], status: 'False', reason: 'Vacant' }],
  };

  it('keeps the previous spec object when only the status and resourceVersion changed', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const [first] = gate.admit([stored()]) as Parsed[];
    const [second] = gate.admit([stored({ status: NEW_STATUS }, 'uid-1', '2')]) as Parsed[];
    expect(second).not.toBe(first);
    expect(second?.spec).toBe(first?.spec);
    expect(second?.status).toEqual(NEW_STATUS);
    expect(second?.metadata.resourceVersion).toBe('2');
  });

  it('keeps it when only annotations changed too (no rule reads them)', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const base = role();
    const meta = { ...base.metadata, uid: 'uid-1' };
    const [first] = gate.admit([
      stored({ metadata: { ...meta, resourceVersion: '1', annotations: { tick: '1' } } }),
    ]) as Parsed[];
    const [second] = gate.admit([
      stored({
        metadata: { ...meta, resourceVersion: '2', annotations: { tick: '2', more: 'x' } },
        status: NEW_STATUS,
      }),
    ]) as Parsed[];
    expect(second?.spec).toBe(first?.spec);
    expect(second).toMatchObject({
      metadata: { annotations: { tick: '2', more: 'x' } },
      status: NEW_STATUS,
    });
  });

  it('gives a new spec object when the spec, a label, the generation, a finalizer or the uid changed', () => {
    const base = role();
    const meta = { ...base.metadata, uid: 'uid-1', resourceVersion: '2' };
    const variants = [
      stored({ spec: { ...base.spec, description: 'changed' } }, 'uid-1', '2'),
      stored({ metadata: { ...meta, labels: { a: 'b' } } }),
      stored({ metadata: { ...meta, generation: 7 } }),
      stored({ metadata: { ...meta, finalizers: ['example.com/hold'] } }),
      stored({
        metadata: { ...meta, annotations: { a: 'b' } },
        spec: { ...base.spec, description: 'x' },
      }),
      stored({}, 'uid-2', '2'),
    ];
    for (const variant of variants) {
      const gate = new SchemaGate(accountableRoleKind);
      const [first] = gate.admit([stored()]) as Parsed[];
      const [second] = gate.admit([variant]) as Parsed[];
      expect(second?.spec).not.toBe(first?.spec);
    }
  });
});

describe('SchemaGate.update: the changed objects alone, the same as admitting the whole store', () => {
  const NAMES = ['a', 'b', 'c', 'd'];
  const VARIANTS = ['good', 'status', 'bad-status', 'bad-spec', 'other-uid'] as const;
  interface Step {
    name: number;
    variant: (typeof VARIANTS)[number] | 'delete';
  }

  function version(name: string, variant: (typeof VARIANTS)[number], rv: number): Raw {
    const base = role(name);
    const meta = { ...base.metadata, uid: variant === 'other-uid' ? `${name}-2` : name };
    const status =
      variant === 'status'
        ? { conditions: [{ ...GOOD_STATUS.conditions[0], reason: `R${String(rv)}` }] }
        : variant === 'bad-status'
          ? BAD_STATUS
          : GOOD_STATUS;
    const spec = variant === 'bad-spec' ? { ...base.spec, holders: 'nobody' } : base.spec;
    return { ...base, metadata: { ...meta, resourceVersion: String(rv) }, spec, status } as Raw;
  }

  it('agrees with admit after any sequence of watch events, applied one or several at a time', () => {
    const step = fc.record({
      name: fc.integer({ min: 0, max: NAMES.length - 1 }),
      variant: fc.constantFrom(...VARIANTS, 'delete' as const),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        (batches: Step[][]) => {
          const store = new Map<string, Raw>();
          const incremental = new SchemaGate(accountableRoleKind);
          const whole = new SchemaGate(accountableRoleKind);
          let last = incremental.admit([]);
          whole.admit([]);
          let rv = 1;
          for (const batch of batches) {
            const changes: StoreChange<Raw>[] = [];
            for (const { name, variant } of batch) {
              const key = `/${NAMES[name] ?? ''}`;
              const previous = store.get(key);
              if (variant === 'delete') {
                if (previous === undefined) continue;
                store.delete(key);
                changes.push({ previous, next: undefined });
              } else {
                const next = version(NAMES[name] ?? '', variant, (rv += 1));
                store.set(key, next);
                changes.push({ previous, next });
              }
            }
            const expected = whole.admit([...store.values()]);
            const got = incremental.update(changes) ?? incremental.admit([...store.values()]);
            expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
            expect(JSON.stringify(incremental.invalid())).toBe(JSON.stringify(whole.invalid()));
            // Positions it says it replaced are exactly those that hold another object.
            const positions = replacedPositions(last, got);
            if (positions !== undefined) {
              expect(got).toHaveLength(last.length);
              const differ = got.flatMap((item, i) => (item === last[i] ? [] : [i]));
              expect(positions).toEqual(differ);
            }
            last = got;
          }
        },
      ),
      { numRuns: 1_000 },
    );
  }, 30_000);

  it('judges only the changed objects', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const first = version('a', 'good', 1);
    const others = [version('b', 'good', 2), version('c', 'good', 3)];
    const before = gate.admit([first, ...others]);
    const changed = version('a', 'status', 4);
    const after = gate.update([{ previous: first, next: changed }]) ?? [];
    expect(after).toHaveLength(3);
    expect(after[0]).not.toBe(before[0]);
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(after[1]).toBe(before[1]);
  });

  it('replaces the changed objects at their places in its last list, and says which places', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name, i) => version(name, 'good', i + 1)) as [
      Raw,
      Raw,
      Raw,
      Raw,
    ];
    const first = gate.admit([a, b, c]);
    const bNew = version('b', 'status', 5);
    const second = gate.update([{ previous: b, next: bNew }]) ?? [];
    expect(replacedPositions(first, second)).toEqual([1]);
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    // Two in one batch, listed in ascending order whatever the events' order.
    const third =
      gate.update([
        { previous: c, next: version('c', 'status', 6) },
        { previous: a, next: version('a', 'status', 7) },
      ]) ?? [];
    expect(replacedPositions(second, third)).toEqual([0, 2]);
    expect(replacedPositions(first, third)).toEqual([0, 1, 2]);
    // An object added or deleted moves others: a new list, with no positions to read.
    const fourth = gate.update([{ previous: undefined, next: d }]) ?? [];
    expect(fourth).toHaveLength(4);
    expect(replacedPositions(third, fourth)).toBeUndefined();
    const fifth = gate.update([{ previous: d, next: undefined }]) ?? [];
    expect(fifth).toHaveLength(3);
    expect(replacedPositions(fourth, fifth)).toBeUndefined();
    // After a copy, the next in-place change reads the new positions.
    const sixth = gate.update([{ previous: bNew, next: version('b', 'good', 8) }]) ?? [];
    expect(replacedPositions(fifth, sixth)).toEqual([1]);
  });

  it('asks for the whole store when a refused object of the store starts to be admitted', () => {
    const gate = new SchemaGate(accountableRoleKind);
    const never = version('a', 'bad-spec', 1);
    gate.admit([never, version('b', 'good', 2)]);
    expect(gate.update([{ previous: never, next: version('a', 'good', 3) }])).toBeUndefined();
  });
});
