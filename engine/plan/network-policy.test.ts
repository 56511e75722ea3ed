import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_POLICY_HASH,
  intact,
  liveRepair,
  ownerCapability,
  policyToWrite,
  repairOf,
  sameContent,
} from './network-policy.js';
import { TAMPER_WINDOW_MS } from '../escalation/interactions.js';

const OWNER = { name: 'invoice-triage', uid: 'uid-1' };

const desired = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: 'oos-interactions-invoice-triage',
    namespace: 'finance',
    labels: { 'oos.dev/managed-by': 'oos' },
  },
  spec: {
    podSelector: { matchLabels: { 'oos.dev/capability': 'invoice-triage' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [],
    egress: [
      {
        to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }],
      },
    ],
  },
};

/** The policy as the apiserver returns it: defaults filled in, empty lists gone, its own fields. */
function stored(written: ReturnType<typeof policyToWrite>) {
  const spec = written.spec as typeof desired.spec;
  return {
    ...written,
    metadata: { ...written.metadata, resourceVersion: '42', uid: 'np-1', generation: 1 },
    spec: {
      podSelector: spec.podSelector,
      policyTypes: spec.policyTypes,
      egress: [
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
          to: spec.egress[0]?.to,
        },
      ],
    },
  };
}

describe('the NetworkPolicies oos owns', () => {
  it('are owned by their Capability and stamped with the hash of what oos decided', () => {
    const written = policyToWrite(desired, OWNER, undefined);
    expect(written.metadata.ownerReferences).toEqual([
      { apiVersion: 'oos.dev/v1alpha1', kind: 'Capability', name: OWNER.name, uid: OWNER.uid },
    ]);
    expect(written.metadata.annotations[ANNOTATION_POLICY_HASH]).toMatch(/^[0-9a-f]{16}$/);
    expect(ownerCapability(written)).toBe(OWNER.name);
    expect(intact(written)).toBe(true);
  });

  it('read as intact once stored, whatever defaults the apiserver filled in', () => {
    const written = policyToWrite(desired, OWNER, undefined);
    expect(intact(stored(written))).toBe(true);
    expect(sameContent(stored(written), written)).toBe(true);
  });

  it('read as tampered when anyone changes the spec, the labels, the owner or the repair record', () => {
    const written = stored(policyToWrite(desired, OWNER, undefined));
    const opened = {
      ...written,
      spec: { ...written.spec, ingress: [{ from: [{ namespaceSelector: {} }] }] },
    };
    const relabelled = {
      ...written,
      metadata: { ...written.metadata, labels: { 'oos.dev/managed-by': 'someone' } },
    };
    const orphaned = { ...written, metadata: { ...written.metadata, ownerReferences: [] } };
    const forgotten = policyToWrite(desired, OWNER, {
      at: '2026-11-30T12:00:00Z',
      cause: 'deleted',
    });
    const unrecorded = {
      ...forgotten,
      metadata: {
        ...forgotten.metadata,
        annotations: {
          [ANNOTATION_POLICY_HASH]: forgotten.metadata.annotations[ANNOTATION_POLICY_HASH] ?? '',
        },
      },
    };
    for (const changed of [opened, relabelled, orphaned, unrecorded]) {
      expect(intact(changed)).toBe(false);
    }
  });

  it('record a repair, which keeps its escalation open for the tamper window only', () => {
    const at = Date.parse('2026-11-30T12:00:00Z');
    const repaired = policyToWrite(desired, OWNER, {
      at: '2026-11-30T12:00:00Z',
      cause: 'changed',
    });
    expect(intact(repaired)).toBe(true);
    expect(repairOf(repaired)).toEqual({ at: '2026-11-30T12:00:00Z', cause: 'changed' });
    expect(liveRepair(repaired, at + 1000)).toEqual(repairOf(repaired));
    expect(liveRepair(repaired, at + TAMPER_WINDOW_MS)).toBeUndefined();
    expect(liveRepair(policyToWrite(desired, OWNER, undefined), at)).toBeUndefined();
  });
});
