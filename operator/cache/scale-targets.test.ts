import { describe, expect, it } from 'vitest';
import { workloadRules } from '../../webhooks/registration.js';
import type { GovernanceSource } from '../../webhooks/governance-source.js';
import {
  projectWorkload,
  SCALE_TARGETS,
  withScaleTargets,
  type ScaleTargets,
} from './scale-targets.js';

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
    const registered = workloadRules().flatMap((rule) =>
      rule.resources
        .filter((r) => r.endsWith('/scale'))
        .flatMap((r) => rule.apiGroups.map((g) => `${g}/${r.slice(0, -'/scale'.length)}`)),
    );
    expect(SCALE_TARGETS.map((t) => `${t.group}/${t.resource}`).sort()).toEqual(registered.sort());
  });
});

describe('withScaleTargets', () => {
  it('passes on everything the governance source tells, a namespace being deleted included', () => {
    const source: GovernanceSource = {
      snapshot: () => undefined,
      namespaceLabels: (namespace) => ({ team: namespace }),
      namespaceTerminating: (namespace) => namespace === 'doomed',
      synced: () => true,
      pending: () => [],
    };
    const targets = {
      synced: () => true,
      pending: () => [],
      get: () => undefined,
      caughtUp: () => Promise.resolve(),
    } as unknown as ScaleTargets;
    const wrapped = withScaleTargets(source, targets);
    expect(wrapped.namespaceTerminating?.('doomed')).toBe(true);
    expect(wrapped.namespaceTerminating?.('alive')).toBe(false);
    expect(wrapped.namespaceLabels('ml')).toEqual({ team: 'ml' });
    // Every method of the source is passed on: a new one must be added to the wrapper too.
    for (const method of Object.keys(source)) expect(wrapped).toHaveProperty(method);
  });
});
