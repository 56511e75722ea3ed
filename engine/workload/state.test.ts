import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { ANNOTATION_REPLICAS_BEFORE_SUSPEND, ANNOTATION_SUSPENDED_BY_OOS } from '../stop/index.js';
import {
  admission,
  anchoredOptions,
  controller,
  deployment,
  NOW,
  OPERATOR_NAMESPACE,
  policy,
  snapshot,
  type InputOptions,
} from '../testing/fixtures.js';

const OPERATOR = 'system:serviceaccount:oos-system:oos';
const governance = snapshot({}, { operatorNamespace: OPERATOR_NAMESPACE, operatorUser: OPERATOR });
const mallory = { username: 'mallory', groups: ['system:masters'] };

function annotated(object: Record<string, unknown>, annotations: Record<string, string>) {
  return { ...object, metadata: { ...(object.metadata as object), annotations } };
}

const stopped = annotated(deployment({ ...anchoredOptions, replicas: 0 }), {
  [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '3',
});

function judge(object: Record<string, unknown>, options: InputOptions = {}) {
  return decide(admission(object, { user: mallory, ...options }), governance, NOW);
}
const update = (old: unknown, object: Record<string, unknown>, options: InputOptions = {}) =>
  judge(object, { operation: 'UPDATE', oldObject: old, ...options });

describe('the state oos keeps on workloads is the operator’s alone', () => {
  it('refuses changing, adding or removing the remembered replicas', () => {
    const forged = annotated(stopped, { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '40' });
    expect(update(stopped, forged)).toMatchObject({ allowed: false, reason: 'StateForged' });
    expect(update(stopped, annotated(stopped, {})).reason).toBe('StateForged');
    const plain = deployment({ replicas: 1 });
    expect(
      update(plain, annotated(plain, { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '9' })).reason,
    ).toBe('StateForged');
  });

  it('refuses a CREATE carrying it, on any workload', () => {
    expect(judge(stopped).reason).toBe('StateForged');
    const job = annotated(controller('batch/v1', 'Job'), { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' });
    expect(judge(job).reason).toBe('StateForged');
  });

  it('refuses it whatever the enforcement mode', () => {
    const audit = snapshot(
      { policies: [policy({ enforcement: 'Audit' })] },
      { operatorNamespace: OPERATOR_NAMESPACE, operatorUser: OPERATOR },
    );
    expect(decide(admission(stopped, { user: mallory }), audit, NOW)).toMatchObject({
      allowed: false,
      reason: 'StateForged',
    });
  });

  it('admits the operator, and updates that keep the state as it is', () => {
    const forged = annotated(stopped, { [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '4' });
    expect(update(stopped, forged, { user: { username: OPERATOR, groups: [] } }).allowed).toBe(
      true,
    );
    const relabelled = {
      ...stopped,
      metadata: {
        ...(stopped.metadata as object),
        labels: { team: 'x', ...anchoredOptions.labels },
      },
    };
    expect(update(stopped, relabelled).reason).not.toBe('StateForged');
  });

  it('leaves the copies the deployment controller writes on the ReplicaSets it owns', () => {
    const owned = (annotations: Record<string, string>) => {
      const rs = controller('apps/v1', 'ReplicaSet', { replicas: 1 });
      return {
        ...rs,
        metadata: {
          ...(rs.metadata as object),
          annotations,
          ownerReferences: [{ kind: 'Deployment', name: 'd', controller: true }],
        },
      };
    };
    const copy = owned({ [ANNOTATION_REPLICAS_BEFORE_SUSPEND]: '3' });
    expect(judge(copy).reason).not.toBe('StateForged');
    expect(update(owned({}), copy).reason).not.toBe('StateForged');
    // …but not a Job a CronJob owns: the stop button reads its marker.
    const job = controller('batch/v1', 'Job');
    const ownedJob = {
      ...job,
      metadata: {
        ...(job.metadata as object),
        annotations: { [ANNOTATION_SUSPENDED_BY_OOS]: 'true' },
        ownerReferences: [{ kind: 'CronJob', name: 'c', controller: true }],
      },
    };
    expect(update(job, ownedJob).reason).toBe('StateForged');
  });
});
