import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_CAPABILITY, type LabelSelector } from '../../api/index.js';
import { matchesSelector } from '../selector.js';
import type { NamespacePostures } from './closed.js';
import { widenedCapabilities } from './decide.js';

// Soundness of the widening check: whatever a podSelector is, if it selects a Pod of a Closed
// capability (by the real label-selector semantics), the check names that capability. A Pod may
// carry any labels besides its capability's, so the Pods are generated freely too.
const CAPABILITIES = ['a', 'b', 'c', 'd'];
const KEYS = [LABEL_CAPABILITY, 'app', 'tier'];
const VALUES = [...CAPABILITIES, 'web', 'ghost'];

const requirement = fc.record({
  key: fc.constantFrom(...KEYS),
  operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist' as const),
  values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }),
});
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), {
      maxKeys: 2,
    }),
    matchExpressions: fc.array(requirement, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const podLabels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), {
  maxKeys: 3,
});
const postures = fc
  .record({
    policyClosed: fc.boolean(),
    closed: fc.subarray(CAPABILITIES),
  })
  .map(({ policyClosed, closed }): NamespacePostures => ({
    policyClosed,
    closed: new Set(policyClosed ? CAPABILITIES : closed),
    known: new Set(CAPABILITIES),
  }));

describe('widenedCapabilities', () => {
  it('names every Closed capability (present, or future under a Closed policy) whose Pod the selector selects', () => {
    let checked = 0;
    fc.assert(
      fc.property(selector, podLabels, postures, (podSelector, labels, namespace) => {
        const capability = labels[LABEL_CAPABILITY];
        if (capability === undefined) return;
        if (!matchesSelector(podSelector, new Map(Object.entries(labels)))) return;
        const widened = widenedCapabilities(podSelector, namespace);
        checked += 1;
        if (namespace.closed.has(capability)) {
          expect(widened.closed).toContain(capability);
        } else if (namespace.policyClosed) {
          // A capability not created yet would be Closed too.
          expect(widened.future === 'any' || widened.future.includes(capability)).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
    // Not vacuous: thousands of generated Pods of a capability were selected.
    expect(checked).toBeGreaterThan(1_000);
  });
});
