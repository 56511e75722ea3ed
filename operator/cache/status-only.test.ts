import { describe, expect, it } from 'vitest';
import { onlyStatusChanged, withoutOwnStatus } from './status-only.js';

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

describe('withoutOwnStatus: what admission keeps of an object whose status the controller writes', () => {
  it('keeps everything but the status, and the object itself when it has none', () => {
    expect(withoutOwnStatus(before)).toEqual({ ...before, status: undefined });
    expect(Object.hasOwn(withoutOwnStatus(before), 'status')).toBe(false);
    const none = { metadata: { name: 'x' } };
    expect(withoutOwnStatus(none)).toBe(none);
  });

  it('keeps an own __proto__ key a key, never the prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "status": {}}') as object;
    const kept = withoutOwnStatus(hostile);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
  });

  it('makes a write of the status alone no change at all', () => {
    const written = { ...before, metadata: { ...before.metadata, resourceVersion: '11' } };
    const change = {
      previous: withoutOwnStatus(before),
      next: withoutOwnStatus({ ...written, status: { conditions: [{ type: 'Ready' }] } }),
    };
    expect(onlyStatusChanged(change)).toBe(true);
  });
});
