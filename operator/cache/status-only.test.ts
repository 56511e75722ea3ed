import { describe, expect, it } from 'vitest';
import { onlyStatusChanged } from './status-only.js';

const before = {
  apiVersion: 'oos.dev/v1alpha1',
  kind: 'Capability',
  metadata: {
    name: 'triage',
    namespace: 'ai',
    uid: 'u1',
    resourceVersion: '10',
    generation: 1,
    labels: { team: 'a' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { accountableRole: 'r' },
  status: { conditions: [] },
};

describe('onlyStatusChanged: a watch event that changed nothing but the status', () => {
  it('is true when the status, resourceVersion and managedFields changed', () => {
    const after = {
      ...before,
      metadata: { ...before.metadata, resourceVersion: '11', managedFields: [{ manager: 'oos' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    expect(onlyStatusChanged({ previous: before, next: after })).toBe(true);
  });

  it('is false for the spec, labels, annotations, generation, deletion or a new object', () => {
    const changed = [
      { ...before, spec: { accountableRole: 's' } },
      { ...before, metadata: { ...before.metadata, labels: { team: 'b' } } },
      { ...before, metadata: { ...before.metadata, annotations: { 'oos.dev/x': 'y' } } },
      { ...before, metadata: { ...before.metadata, generation: 2 } },
      { ...before, metadata: { ...before.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } },
    ];
    for (const after of changed) {
      expect(onlyStatusChanged({ previous: before, next: after })).toBe(false);
    }
    expect(onlyStatusChanged({ previous: undefined, next: before })).toBe(false);
    expect(onlyStatusChanged({ previous: before, next: undefined })).toBe(false);
    expect(onlyStatusChanged(undefined)).toBe(false);
  });
});
