import { describe, expect, it } from 'vitest';
import { WORKLOAD_RULES } from '../../webhooks/registration.js';
import { projectWorkload, SCALE_TARGETS } from './scale-targets.js';

describe('the scale-target cache', () => {
  it('keeps what the engine reads of a workload, and drops status, managed fields and annotations', () => {
    const rc = SCALE_TARGETS.find((t) => t.kind === 'ReplicationController');
    if (rc === undefined) throw new Error('no ReplicationController target');
    const spec = { replicas: 2, template: { spec: { containers: [{ image: 'ollama/ollama' }] } } };
    const projected = projectWorkload(rc, {
      metadata: {
        name: 'w',
        namespace: 'ml',
        resourceVersion: '9',
        labels: { 'oos.dev/capability': 'c' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{…}' },
        managedFields: [{ manager: 'kubectl' }],
      },
      spec,
      status: { replicas: 2 },
    } as never);
    expect(projected).toEqual({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: {
        name: 'w',
        namespace: 'ml',
        resourceVersion: '9',
        labels: { 'oos.dev/capability': 'c' },
      },
      spec,
    });
  });

  it('covers exactly the resources whose scale the webhook is sent', () => {
    const registered = WORKLOAD_RULES.flatMap((rule) =>
      rule.resources
        .filter((r) => r.endsWith('/scale'))
        .flatMap((r) => rule.apiGroups.map((g) => `${g}/${r.slice(0, -'/scale'.length)}`)),
    );
    expect(SCALE_TARGETS.map((t) => `${t.group}/${t.resource}`).sort()).toEqual(registered.sort());
  });
});
