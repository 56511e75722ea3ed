import { describe, expect, it } from 'vitest';
import { anchoredOptions, deployment } from '../testing/fixtures.js';
import { judgedUpdate } from './change.js';

const stored = deployment({ ...anchoredOptions, replicas: 3 });
const annotated = {
  ...stored,
  metadata: {
    ...(stored.metadata as object),
    annotations: { 'deployment.kubernetes.io/revision': '2' },
  },
};

describe('which updates of a workload oos judges', () => {
  it('not those that change neither spec nor labels', () => {
    expect(judgedUpdate(stored, annotated)).toBe(false);
  });

  it('not those that only scale down', () => {
    expect(judgedUpdate(stored, deployment({ ...anchoredOptions, replicas: 0 }))).toBe(false);
  });

  it('those that scale up, change the pod template or the labels', () => {
    expect(judgedUpdate(stored, deployment({ ...anchoredOptions, replicas: 4 }))).toBe(true);
    expect(
      judgedUpdate(
        stored,
        deployment({ ...anchoredOptions, replicas: 3, image: 'ollama/ollama:0.5' }),
      ),
    ).toBe(true);
    expect(
      judgedUpdate(
        stored,
        deployment({ ...anchoredOptions, replicas: 3, labels: { 'oos.dev/capability': 'other' } }),
      ),
    ).toBe(true);
  });

  it('every update when the stored object is unreadable', () => {
    expect(judgedUpdate(undefined, stored)).toBe(true);
    expect(judgedUpdate('x', stored)).toBe(true);
  });
});
