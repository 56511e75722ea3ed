import { describe, expect, it } from 'vitest';
import { pod } from '../../engine/testing/fixtures.js';
import type { KubeObject } from '../cache/informer.js';
import { changesTheAudit, projectWorkload } from './workload-projection.js';

const version = (object: object, resourceVersion: string): KubeObject => ({
  ...object,
  metadata: { ...(object as KubeObject).metadata, resourceVersion },
});

describe('the workload caches', () => {
  const pending = version({ ...pod(), status: { phase: 'Pending', qosClass: 'BestEffort' } }, '1');
  const ready = version(
    {
      ...pod(),
      status: {
        phase: 'Pending',
        podIP: '198.18.64.7',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    '2',
  );
  const failed = version({ ...pod(), status: { phase: 'Failed' } }, '3');

  it('keep of the status and of the pod spec only what the audit reads', () => {
    expect(projectWorkload(ready, [])).toEqual({ ...ready, status: { phase: 'Pending' } });
    const noStatus = pod() as KubeObject;
    expect(projectWorkload(noStatus, [])).toEqual(noStatus);
    const spec = { ...(pod() as { spec: object }).spec, dnsPolicy: 'ClusterFirst' };
    const defaulted = version({ ...pod(), spec }, '1');
    expect(projectWorkload(defaulted, [])).toEqual(version(pod(), '1'));
    // A custom kind's spec is walked whole, so it is kept whole.
    expect(projectWorkload(defaulted, undefined)).toBe(defaulted);
  });

  it('start no round for a change of nothing else, and one for anything the audit reads', () => {
    const spec = (pod() as { spec: object }).spec;
    const change = (previous: KubeObject | undefined, next: KubeObject | undefined) => ({
      previous: previous && projectWorkload(previous, []),
      next: next && projectWorkload(next, []),
    });
    expect(changesTheAudit(change(pending, ready))).toBe(false);
    const scheduled = version({ ...ready, spec: { ...spec, nodeName: 'node-1' } }, '5');
    expect(changesTheAudit(change(ready, scheduled))).toBe(false);
    expect(changesTheAudit(change(ready, failed))).toBe(true);
    const relabelled = version(
      { ...ready, metadata: { ...ready.metadata, labels: { 'oos.dev/capability': 'x' } } },
      '4',
    );
    expect(changesTheAudit(change(ready, relabelled))).toBe(true);
    // A list's items come without apiVersion and kind, a watch event's with them.
    const listed = version({ ...pending, apiVersion: undefined, kind: undefined }, '1');
    expect(changesTheAudit(change(listed, ready))).toBe(false);
    expect(changesTheAudit(change(listed, failed))).toBe(true);
    expect(changesTheAudit(change(undefined, ready))).toBe(true);
    expect(changesTheAudit(change(ready, undefined))).toBe(true);
    expect(changesTheAudit(undefined)).toBe(true);
  });
});
