import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplacedMap } from '../replaced-map.js';
import { buildSnapshot, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';
import { capability, delegation, governance, role } from '../testing/fixtures.js';
import { changedRoles, dependentNames, dependentsOf, roleIndex } from './dependents.js';

const ROLES = ['risk-officer', 'chief-risk-officer', 'data-steward'];
const NAMES = ['chat', 'fraud', 'forecast', 'triage', 'summaries', 'a-b', 'a0b', 'ab'];
const NAMESPACES = ['ml', 'risk'];

/** Each role's capabilities as `namespace/name`, in order, and what their status reads. */
function names(snapshot: GovernanceSnapshot): Record<string, [readonly string[], string]> {
  return Object.fromEntries(
    [...ROLES, 'nobody'].map((name) => [
      name,
      [dependentsOf(snapshot, name), dependentNames(snapshot, name)],
    ]),
  );
}

const objects = (anchors: readonly string[], revision = 0) =>
  governance({
    roles: ROLES.map((name) => role(name)),
    capabilities: anchors.map((anchor, i) =>
      capability(
        NAMES[i % NAMES.length],
        { accountableRole: anchor, description: `revision ${String(revision)}` },
        NAMESPACES[Math.floor(i / NAMES.length)],
      ),
    ),
  });

describe("the capabilities anchored to each role, kept from one snapshot's to the next", () => {
  it('reads as an index built afresh, however the capabilities change in place', () => {
    const size = NAMES.length * NAMESPACES.length;
    const anchor = fc.constantFrom(...ROLES);
    const change = fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), anchor), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        fc.array(anchor, { minLength: size, maxLength: size }),
        fc.array(change, { maxLength: 12 }),
        (first, changes) => {
          const anchors = [...first];
          const initial = objects(anchors);
          let snapshot = buildSnapshot(initial);
          let list = initial.capabilities ?? [];
          const snapshots = [snapshot];
          changes.forEach((entries, step) => {
            const next = [...list];
            for (const [i, to] of entries) {
              anchors[i] = to;
              const changed = objects(anchors, step + 1).capabilities?.[i];
              if (changed !== undefined) next[i] = changed;
            }
            const following = buildSnapshot({ ...initial, capabilities: next }, {}, snapshot);
            const fresh = buildSnapshot({ ...initial, capabilities: next });
            expect(names(following)).toEqual(names(fresh));
            // Replacements accumulate over one base map: the lists of the roles no replaced
            // capability left or joined are the very arrays of the base's index.
            if (following.capabilities instanceof ReplacedMap) {
              const map = following.capabilities as ReplacedMap<string, IndexedCapability>;
              const moved = new Set<string>();
              for (const [key, now] of map.replaced) {
                const was = map.base.get(key)?.capability.spec.accountableRole;
                if (was === now.capability.spec.accountableRole) continue;
                moved.add(now.capability.spec.accountableRole);
                moved.add(was ?? '');
              }
              const { base } = roleIndex(following);
              for (const name of ROLES) {
                if (moved.has(name)) continue;
                const kept = base.get(name);
                if (kept === undefined) expect(dependentsOf(following, name)).toEqual([]);
                else expect(dependentsOf(following, name)).toBe(kept);
              }
            }
            // What the cluster-scoped statuses rely on: a role outside `changedRoles` of any
            // earlier snapshot's index and this one's reads the very same list and text.
            for (const earlier of snapshots) {
              const changed = changedRoles(roleIndex(earlier), roleIndex(following));
              for (const name of changed === undefined ? [] : [...ROLES, 'nobody']) {
                if (changed?.has(name) === true) continue;
                expect(dependentsOf(following, name)).toBe(dependentsOf(earlier, name));
                expect(dependentNames(following, name)).toBe(dependentNames(earlier, name));
              }
            }
            snapshots.push(following);
            snapshot = following;
            list = next;
          });
        },
      ),
    );
  });

  it('is the very same index when the snapshot is rebuilt for anything but its capabilities', () => {
    const first = governance();
    const snapshot = buildSnapshot(first);
    const next = buildSnapshot(
      { ...first, delegations: [delegation('another', { serviceAccount: 'bot' })] },
      {},
      snapshot,
    );
    expect(next).not.toBe(snapshot);
    expect(roleIndex(next)).toBe(roleIndex(snapshot));
    expect(changedRoles(roleIndex(snapshot), roleIndex(next))).toEqual(new Set());
  });

  it('says any role may have changed when a capability was added, as the index is built afresh', () => {
    const first = objects(['risk-officer', 'data-steward']);
    const snapshot = buildSnapshot(first);
    const added = objects(['risk-officer', 'data-steward', 'data-steward']);
    const next = buildSnapshot(added, {}, snapshot);
    expect(changedRoles(roleIndex(snapshot), roleIndex(next))).toBeUndefined();
    expect(dependentsOf(next, 'data-steward')).toEqual(['ml/forecast', 'ml/fraud']);
  });

  it('names no capability for a role nothing is anchored to', () => {
    expect(dependentNames(buildSnapshot(governance()), 'nobody')).toBe('');
  });
});
