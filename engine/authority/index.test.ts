import { describe, expect, it } from 'vitest';
import { decide, stampPatch } from '../decide.js';
import {
  admission,
  carol,
  delegation,
  NOW,
  robot,
  snapshot,
  update,
  withSpec,
} from '../testing/fixtures.js';

const snap = snapshot();
const stored = delegation();

describe('admission of the oos kinds', () => {
  it('leaves connects and subresources other than status to RBAC', () => {
    const connect = { ...admission(stored, { user: robot }) };
    expect(decide({ ...connect, operation: 'CONNECT' }, snap, NOW)).toMatchObject({
      allowed: true,
      reason: 'NotGoverned',
    });
    const scale = admission(stored, {
      operation: 'UPDATE',
      oldObject: stored,
      user: robot,
      subResource: 'scale',
    });
    expect(decide(scale, snap, NOW)).toMatchObject({ allowed: true, reason: 'NotGoverned' });
  });

  it('judges deletes and status writes as evidence (engine/authority/evidence.test.ts)', () => {
    const deleting = { ...admission(stored, { user: robot }), operation: 'DELETE' as const };
    expect(decide(deleting, snap, NOW)).toMatchObject({
      allowed: false,
      reason: 'EvidenceRetained',
    });
    const status = admission(withSpec(stored, { justification: 'x' }), {
      operation: 'UPDATE',
      oldObject: stored,
      user: robot,
      subResource: 'status',
    });
    expect(decide(status, snap, NOW)).toMatchObject({ allowed: false, reason: 'StatusNotOwned' });
    expect(stampPatch(status, snap, NOW)).toEqual([]);
  });

  it('leaves oos kinds it does not know to RBAC', () => {
    const unknown = {
      apiVersion: 'oos.dev/v1alpha1',
      kind: 'Future',
      metadata: { name: 'x' },
      spec: {},
    };
    expect(decide(admission(unknown), snap, NOW)).toMatchObject({
      allowed: true,
      reason: 'NotGoverned',
    });
  });

  it('is never softened by the namespace’s enforcement mode', () => {
    const input = {
      ...admission(delegation('x'), {
        user: carol,
        namespaceLabels: { environment: 'sandbox' },
      }),
    };
    const decision = decide(input, snapshot({ policies: [] }), NOW);
    expect(decision).toMatchObject({ allowed: false, mode: 'Enforce' });
  });

  it('refuses an unreadable stored object on UPDATE', () => {
    const input = update({ spec: 'broken' }, stored, carol);
    expect(decide(input, snap, NOW)).toMatchObject({
      allowed: false,
      reason: 'InvalidObject',
      message: expect.stringContaining('the stored Delegation') as unknown,
    });
  });

  it('refuses a request without an object', () => {
    const input = { ...admission(stored), object: undefined };
    expect(decide(input, snap, NOW)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
  });
});
