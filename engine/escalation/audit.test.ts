import { describe, expect, it } from 'vitest';
import {
  anchoredOptions,
  admission,
  controller,
  deployment,
  exemption,
  NOW,
  pod,
  snapshot,
} from '../testing/fixtures.js';
import { decide } from '../decide.js';
import {
  auditWorkload,
  countByCapability,
  findingMessage,
  isAnchored,
  type Finding,
} from './audit.js';

const snap = snapshot();
const audit = (object: Record<string, unknown>): Finding | undefined =>
  auditWorkload(object, snap, undefined, NOW);

describe('the background audit', () => {
  it('keeps no message for an anchored workload, and gives the very one admission gives', () => {
    const forecasting = { 'oos.dev/capability': 'forecasting' };
    const objects = [
      deployment({ ...anchoredOptions, name: 'chat' }),
      pod({ ...anchoredOptions, name: 'chat-pod' }),
      deployment({ ...anchoredOptions, labels: forecasting, templateLabels: forecasting }),
      deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' }),
    ];
    const findings = objects.map((object) => {
      const finding = audit(object);
      if (finding === undefined) throw new Error('not audited');
      const admitted = decide(admission(object), snap, NOW);
      expect(findingMessage(finding)).toBe(admitted.message);
      return finding;
    });
    expect(findings.map((f) => [f.reason, f.message === undefined])).toEqual([
      ['Anchored', true],
      ['Anchored', true],
      ['Anchored', true],
      ['AnchorMissing', false],
    ]);
    const [, , noDelegation] = findings;
    expect(noDelegation && findingMessage(noDelegation)).toContain('requires no delegation');
  });

  it('judges a running AI workload as admission would judge its creation', () => {
    const anchored = audit(deployment({ ...anchoredOptions, name: 'chat' }));
    expect(anchored).toMatchObject({
      workload: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'chat' },
      reason: 'Anchored',
      capability: 'chat-assistant',
      stoppable: true,
    });
    expect(anchored && isAnchored(anchored)).toBe(true);
    const loose = audit(deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' }));
    expect(loose).toMatchObject({ reason: 'AnchorMissing', capability: undefined });
    expect(loose && isAnchored(loose)).toBe(false);
  });

  it('never mistakes the stop button’s state on a running workload for a forgery', () => {
    const resuming = deployment({ ...anchoredOptions, name: 'chat', replicas: 2 });
    const annotated = {
      ...resuming,
      metadata: {
        ...(resuming.metadata as object),
        annotations: { 'oos.dev/replicas-before-suspend': '2', team: 'x' },
      },
    };
    expect(audit(annotated)?.reason).toBe('Anchored');
    const web = deployment({ image: 'nginx:1.27' });
    expect(
      audit({
        ...web,
        metadata: { ...(web.metadata as object), annotations: annotated.metadata.annotations },
      }),
    ).toBeUndefined();
  });

  it('skips what is not AI, not running, or owned by a controller', () => {
    expect(audit(deployment({ image: 'nginx:1.27' }))).toBeUndefined();
    expect(audit(deployment({ ...anchoredOptions, replicas: 0 }))).toBeUndefined();
    const owned = controller('apps/v1', 'ReplicaSet', { ...anchoredOptions, replicas: 1 });
    const metadata = owned.metadata as Record<string, unknown>;
    metadata.ownerReferences = [{ kind: 'Deployment', name: 'x', controller: true }];
    expect(audit(owned)).toBeUndefined();
    const done = { ...pod(anchoredOptions), status: { phase: 'Succeeded' } };
    expect(audit(done)).toBeUndefined();
  });

  it('judges bare Pods and DaemonSets (which cannot be scaled to zero)', () => {
    expect(audit(pod(anchoredOptions))).toMatchObject({ reason: 'Anchored', stoppable: false });
    expect(audit(controller('apps/v1', 'DaemonSet', anchoredOptions))).toMatchObject({
      stoppable: false,
    });
  });

  it('counts running and anchored workloads per capability', () => {
    const findings = [
      audit(deployment({ ...anchoredOptions, name: 'a' })),
      audit(deployment({ ...anchoredOptions, name: 'b', serviceAccount: 'nobody' })),
      audit(deployment({ name: 'c', image: 'vllm/vllm-openai:v0.6.3' })),
    ].filter((f): f is Finding => f !== undefined);
    expect(findings.map((f) => f.reason)).toEqual([
      'Anchored',
      'DelegationMissing',
      'AnchorMissing',
    ]);
    expect(countByCapability(findings)).toEqual(
      new Map([['ml/chat-assistant', { running: 2, anchored: 1 }]]),
    );
  });

  it('still finds AI in exempt namespaces, and says what exempts it (exempt is not invisible)', () => {
    const system = audit(
      deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3', namespace: 'kube-system' }),
    );
    expect(system).toMatchObject({ reason: 'Exempted', exemptedBy: 'ExemptNamespace' });
    expect(audit(deployment({ ...anchoredOptions, name: 'chat' }))?.exemptedBy).toBeUndefined();
  });

  it('keeps what the chain decides without the exemption (an exemption hides a verdict, never erases it)', () => {
    const system = audit(
      deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3', namespace: 'kube-system' }),
    );
    expect(system?.underlying).toMatchObject({ reason: 'AnchorMissing', chain: {} });
    const covered = auditWorkload(
      deployment({ ...anchoredOptions, name: 'chat' }),
      snapshot({ exemptions: [exemption('incident', { scope: { names: ['chat'] } })] }),
      undefined,
      NOW,
    );
    expect(covered).toMatchObject({
      reason: 'Exempted',
      exemptedBy: 'Exemption',
      chain: { exemption: { namespace: 'ml', name: 'incident' } },
      underlying: {
        reason: 'Anchored',
        chain: {
          capability: { name: 'chat-assistant' },
          delegation: { name: 'chat-assistant-chat-bot' },
        },
      },
    });
    const anchored = audit(deployment({ ...anchoredOptions, name: 'chat' }));
    expect(anchored).toMatchObject({ mode: 'Enforce', chain: { role: 'model-risk-officer' } });
    expect(anchored?.underlying).toBeUndefined();
  });
});
