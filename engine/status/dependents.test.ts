import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplacedMap } from '../replaced-map.js';
import { buildSnapshot, type GovernanceSnapshot, type IndexedCapability } from '../snapshot.js';
import { capability, delegation, governance, role } from '../testing/fixtures.js';
import { capabilitiesByRole, dependentNames } from './dependents.js';

const ROLES = ['risk-officer', 'chief-risk-officer', 'data-steward'];
const NAMES = ['chat', 'fraud', 'forecast', 'triage', 'summaries', 'a-b', 'a0b', 'ab'];
const NAMESPACES = ['ml', 'risk'];

/** What a fresh index reads: each role's capabilities as `namespace/name`, in order. */
function names(snapshot: GovernanceSnapshot): Record<string, string[]> {
  return Object.fromEntries(
    [...capabilitiesByRole(snapshot)].map(([name, list]) => [
      name,
      list.map((c) => `${c.namespace}/${c.name}`),
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
          let baseIndex = capabilitiesByRole(snapshot);
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
            for (const name of ROLES) {
              expect(dependentNames(following, name)).toBe(dependentNames(fresh, name));
            }
            // Replacements accumulate over one base map: the lists of the roles no replaced
            // capability left or joined are the very arrays of the base's index.
            if (following.capabilities instanceof ReplacedMap) {
              const map = following.capabilities as ReplacedMap<string, IndexedCapability>;
              const touched = new Set<string>();
              for (const [key, now] of map.replaced) {
                touched.add(now.capability.spec.accountableRole);
                touched.add(map.base.get(key)?.capability.spec.accountableRole ?? '');
              }
              for (const [name, dependents] of capabilitiesByRole(following)) {
                if (!touched.has(name)) expect(dependents).toBe(baseIndex.get(name));
              }
            } else {
              baseIndex = capabilitiesByRole(following);
            }
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
    expect(capabilitiesByRole(next)).toBe(capabilitiesByRole(snapshot));
  });

  it('names no capability for a role nothing is anchored to', () => {
    expect(dependentNames(buildSnapshot(governance()), 'nobody')).toBe('');
  });
});
