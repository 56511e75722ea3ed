import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Delegation } from '../api/index.js';
import { indexDelegations, reindexDelegations, type DelegationIndex } from './delegation-index.js';
import { delegationKey, objectKey } from './keys.js';
import { delegation, withSpec } from './testing/fixtures.js';

/** What a reader sees (every reader looks up by key): the entries, in key order. */
function read(index: DelegationIndex): unknown {
  const sorted = <V>(map: ReadonlyMap<string, V>) =>
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    delegations: sorted(index.delegations),
    delegatedServiceAccounts: sorted(index.delegatedServiceAccounts),
  };
}

describe('indexDelegations', () => {
  it('puts the latest validUntil first, and equal ones by name whatever the list order', () => {
    const until = { validUntil: '2026-08-01T00:00:00Z' };
    const list = [delegation('c', until), delegation('a'), delegation('b', until)];
    const key = delegationKey('ml', 'chat-assistant', 'chat-bot');
    const names = (l: Delegation[]) =>
      indexDelegations(l)
        .delegations.get(key)
        ?.map((d) => d.name);
    expect(names(list)).toEqual(['b', 'c', 'a']);
    expect(names([...list].reverse())).toEqual(['b', 'c', 'a']);
  });
});

describe('reindexDelegations', () => {
  const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
  const edit = fc.record({
    at: fc.nat(),
    what: fc.constantFrom(
      'revoke',
      'until',
      'account',
      'capability',
      'rename',
      'add',
      'remove',
      'status',
      'respec',
      'same',
    ),
  });

  it('reads the same as indexing afresh, after any sequence of changes as a store makes them', () => {
    fc.assert(
      fc.property(fc.array(fc.array(edit, { maxLength: 4 }), { maxLength: 12 }), (rounds) => {
        let list = NAMES.slice(0, 3).map((name, i) =>
          delegation(name, { serviceAccount: i % 2 === 0 ? 'sa-0' : 'sa-1' }),
        );
        let index = indexDelegations(list);
        // A store holds one object per name: each new name is new.
        let made = 0;
        for (const edits of rounds) {
          const next = [...list];
          for (const { at, what } of edits) {
            const i = next.length === 0 ? 0 : at % next.length;
            const d = next[i];
            const name = `${NAMES[at % NAMES.length] ?? 'x'}-${String((made += 1))}`;
            if (what === 'add' || d === undefined) {
              next.push(delegation(name, { serviceAccount: `sa-${String(at % 3)}` }));
            } else if (what === 'remove') next.splice(i, 1);
            else if (what === 'rename') {
              next[i] = { ...d, metadata: { ...d.metadata, name } };
            } else if (what === 'revoke') next[i] = withSpec(d, { revoked: !d.spec.revoked });
            else if (what === 'until') {
              // Three instants only, so that groups hold equal ones.
              next[i] = withSpec(d, { validUntil: `2026-0${String(7 + (at % 3))}-01T00:00:00Z` });
            } else if (what === 'account') {
              next[i] = withSpec(d, { serviceAccount: `sa-${String(at % 3)}` });
            } else if (what === 'status') {
              next[i] = { ...d, status: { state: 'Active' } };
            } else if (what === 'respec') next[i] = withSpec(d, {});
            else if (what === 'capability') {
              next[i] = withSpec(d, { capability: `cap-${String(at % 2)}` });
            }
          }
          const before = read(index);
          const rebuilt = reindexDelegations(list, index, next) ?? indexDelegations(next);
          expect(read(rebuilt)).toEqual(read(indexDelegations(next)));
          // The index it replaces is left as it was: a decision in flight may still read it.
          expect(read(index)).toEqual(before);
          list = next;
          index = rebuilt;
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('builds only what changed: no map is copied when one Delegation is revoked', () => {
    const list = NAMES.map((name, i) => delegation(name, { serviceAccount: `sa-${String(i)}` }));
    const index = indexDelegations(list);
    const next = list.map((d, i) => (i === 2 ? withSpec(d, { revoked: true }) : d));
    const rebuilt = reindexDelegations(list, index, next);
    const key = delegationKey('ml', 'chat-assistant', 'sa-2');
    expect(rebuilt?.delegations.get(key)?.[0]?.revoked).toBe(true);
    expect(index.delegations.get(key)?.[0]?.revoked).toBe(false);
    // The other groups are the very same arrays, read through the same map.
    const other = delegationKey('ml', 'chat-assistant', 'sa-3');
    expect(rebuilt?.delegations.get(other)).toBe(index.delegations.get(other));
    expect(rebuilt?.delegatedServiceAccounts).toBe(index.delegatedServiceAccounts);
  });

  it('follows a ServiceAccount that starts or stops holding a Delegation of the capability', () => {
    const list = [delegation('a', { serviceAccount: 'sa-0' })];
    const index = indexDelegations(list);
    const added = [...list, delegation('b', { serviceAccount: 'sa-1' })];
    const grown = reindexDelegations(list, index, added);
    const capability = objectKey('ml', 'chat-assistant');
    expect(grown?.delegatedServiceAccounts.get(capability)).toEqual(['sa-0', 'sa-1']);
    const shrunk = grown && reindexDelegations(added, grown, added.slice(1));
    expect(shrunk?.delegatedServiceAccounts.get(capability)).toEqual(['sa-1']);
    expect(shrunk?.delegations.has(delegationKey('ml', 'chat-assistant', 'sa-0'))).toBe(false);
    const none = shrunk && reindexDelegations(added.slice(1), shrunk, []);
    expect(none?.delegatedServiceAccounts.has(capability)).toBe(false);
  });

  it('counts a Delegation whose status alone was written as no change (the controller writes them all)', () => {
    const list = Array.from({ length: 100 }, (_, i) => delegation(`d-${String(i)}`));
    const index = indexDelegations(list);
    const written = list.map((d) => ({ ...d, status: { state: 'Active' as const } }));
    const again = list.map((d) => withSpec(d, {}));
    expect(reindexDelegations(list, index, written)?.delegations).toBe(index.delegations);
    expect(reindexDelegations(list, index, again)?.delegations).toBe(index.delegations);
  });

  it('leaves a relist to a fresh index (more changed than is worth following)', () => {
    const list = Array.from({ length: 100 }, (_, i) => delegation(`d-${String(i)}`));
    const relisted = list.map((d) => withSpec(d, { revoked: true }));
    expect(reindexDelegations(list, indexDelegations(list), relisted)).toBeUndefined();
  });
});
