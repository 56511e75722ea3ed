import { describe, expect, it } from 'vitest';
import { decide, evaluate, isAIWorkload, stampPatch } from './decide.js';
import type { AdmissionInput } from './input.js';
import {
  admission,
  anchoredOptions,
  capability,
  deployment,
  NOW,
  policy,
  robot,
  snapshot,
} from './testing/fixtures.js';

const modes = snapshot({
  policies: [
    policy({
      enforcement: 'Enforce',
      enforcementRules: [
        { namespaceSelector: { matchLabels: { environment: 'sandbox' } }, enforcement: 'Warn' },
        { namespaceSelector: { matchLabels: { environment: 'legacy' } }, enforcement: 'Audit' },
      ],
    }),
  ],
});
const unanchored = deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' });
const inMode = (environment: string) =>
  decide(admission(unanchored, { namespaceLabels: { environment } }), modes, NOW);

describe('enforcement modes', () => {
  it('Enforce denies an AI workload that fails the chain', () => {
    expect(inMode('production')).toMatchObject({
      allowed: false,
      reason: 'AnchorMissing',
      mode: 'Enforce',
      warnings: [],
    });
  });

  it('Warn admits it with the message as an admission warning', () => {
    const decision = inMode('sandbox');
    expect(decision).toMatchObject({ allowed: true, reason: 'AnchorMissing', mode: 'Warn' });
    expect(decision.warnings).toEqual([decision.message]);
  });

  it('Audit admits it silently and records the message in the audit annotations', () => {
    const decision = inMode('legacy');
    expect(decision).toMatchObject({
      allowed: true,
      reason: 'AnchorMissing',
      mode: 'Audit',
      warnings: [],
    });
    expect(decision.auditAnnotations).toMatchObject({
      reason: 'AnchorMissing',
      mode: 'Audit',
      message: decision.message,
    });
  });

  it('apply in Enforce mode with the built-in defaults when there is no policy', () => {
    const decision = decide(
      admission(unanchored, { namespaceLabels: { environment: 'sandbox' } }),
      snapshot({ policies: [] }),
      NOW,
    );
    expect(decision).toMatchObject({ allowed: false, mode: 'Enforce' });
  });

  it('never turn an anchored workload or a non-AI one into a denial', () => {
    for (const environment of ['production', 'sandbox', 'legacy']) {
      const input = admission(deployment(anchoredOptions), { namespaceLabels: { environment } });
      expect(decide(input, modes, NOW)).toMatchObject({
        allowed: true,
        reason: 'Anchored',
        warnings: [],
      });
      expect(
        decide(admission(deployment(), { namespaceLabels: { environment } }), modes, NOW),
      ).toMatchObject({ allowed: true, reason: 'NotAIWorkload' });
    }
  });
});

describe('the decision of an anchored workload', () => {
  it('carries the chain and the audit annotations', () => {
    const decision = decide(admission(deployment(anchoredOptions)), snapshot(), NOW);
    expect(decision.chain).toEqual({
      capability: { namespace: 'ml', name: 'chat-assistant' },
      role: 'model-risk-officer',
      holders: ['alice'],
      delegation: {
        namespace: 'ml',
        name: 'chat-assistant-chat-bot',
        serviceAccount: 'chat-bot',
        validUntil: '2026-07-01T00:00:00Z',
      },
    });
    expect(decision.auditAnnotations).toEqual({
      reason: 'Anchored',
      mode: 'Enforce',
      capability: 'chat-assistant',
      role: 'model-risk-officer',
      delegation: 'chat-assistant-chat-bot',
    });
    expect(decision.detection).toEqual([
      'label oos.dev/capability=chat-assistant',
      'image vllm/vllm-openai:v0.6.3 of container main matches *vllm*',
    ]);
  });
});

describe('what oos does not judge', () => {
  const snap = snapshot();

  it('deletes, connects and subresources of workloads', () => {
    for (const operation of ['DELETE', 'CONNECT'] as const) {
      expect(decide({ ...admission(unanchored), operation }, snap, NOW)).toMatchObject({
        allowed: true,
        reason: 'NotGoverned',
      });
    }
    const scale = admission(unanchored, {
      operation: 'UPDATE',
      oldObject: unanchored,
      subResource: 'scale',
    });
    expect(decide(scale, snap, NOW)).toMatchObject({ allowed: true, reason: 'NotGoverned' });
  });

  it('updates that change nothing it judges, or only scale down', () => {
    const broken = snapshot({ delegations: [] });
    const stored = deployment({ ...anchoredOptions, replicas: 3 });
    const annotated = {
      ...stored,
      metadata: { ...(stored.metadata as object), annotations: { a: 'b' } },
    };
    const update = (object: Record<string, unknown>) =>
      decide(admission(object, { operation: 'UPDATE', oldObject: stored }), broken, NOW);
    expect(update(annotated)).toMatchObject({ allowed: true, reason: 'NotGoverned' });
    expect(update(deployment({ ...anchoredOptions, replicas: 0 }))).toMatchObject({
      allowed: true,
      reason: 'NotGoverned',
    });
    expect(update(deployment({ ...anchoredOptions, replicas: 5 }))).toMatchObject({
      allowed: false,
      reason: 'DelegationMissing',
    });
  });

  it('the last updates of an object being deleted (finalizers must come off)', () => {
    const deleting = {
      ...unanchored,
      metadata: { ...(unanchored.metadata as object), deletionTimestamp: '2026-06-01T11:00:00Z' },
    };
    expect(
      decide(admission(deleting, { operation: 'UPDATE', oldObject: unanchored }), snap, NOW),
    ).toMatchObject({ reason: 'NotGoverned' });
    expect(decide(admission(deleting), snap, NOW)).toMatchObject({ reason: 'AnchorMissing' });
  });
});

describe('unreadable requests', () => {
  const snap = snapshot();

  it.each([null, 'text', 42, [1, 2], undefined])(
    'deny an object that is not a JSON object (%j)',
    (object) => {
      const input: AdmissionInput = { ...admission(unanchored), object };
      expect(decide(input, snap, NOW)).toMatchObject({ allowed: false, reason: 'InvalidObject' });
    },
  );

  it('deny a built-in workload without a pod spec', () => {
    const decision = decide(admission({ ...unanchored, spec: { template: 'x' } }), snap, NOW);
    expect(decision).toMatchObject({ allowed: false, reason: 'InvalidObject' });
    expect(decision.message).toContain('spec.template.spec is missing or not an object');
  });

  it('fail closed instead of throwing (evaluate throws, decide answers)', () => {
    const input = admission(unanchored);
    expect(() => evaluate(input, snap, new Date(Number.NaN))).toThrow(RangeError);
    expect(decide(input, snap, new Date(Number.NaN))).toMatchObject({
      allowed: false,
      reason: 'InvalidObject',
    });
  });
});

describe('hostile nesting', () => {
  const snap = snapshot();
  const deep = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
    return value;
  };

  it.each([
    ['a workload', deployment(anchoredOptions)],
    ['an oos kind', capability()],
  ])('%s nested a million levels deep is decided, never with "report a bug"', (_name, base) => {
    const withDeep = (): Record<string, unknown> => ({
      ...base,
      metadata: { ...(base.metadata as object), annotations: { a: 'b' } },
      spec: { ...(base.spec as object), extra: deep(1_000_000) },
      status: deep(1_000_000),
    });
    for (const input of [
      admission(withDeep()),
      admission(withDeep(), { operation: 'UPDATE', oldObject: withDeep() }),
    ]) {
      const decision = decide(input, snap, NOW);
      expect(typeof decision.allowed).toBe('boolean');
      expect(decision.message).not.toMatch(/report|maintainers/);
    }
  });

  it('an UPDATE that leaves a million-level spec unchanged is compared, not refused', () => {
    const object = (): Record<string, unknown> => {
      const base = deployment(anchoredOptions);
      return { ...base, spec: { ...(base.spec as object), extra: deep(1_000_000) } };
    };
    const input = admission(object(), { operation: 'UPDATE', oldObject: object() });
    expect(decide(input, snap, NOW)).toMatchObject({ allowed: true, reason: 'NotGoverned' });
  });

  it('a stack overflow is named as the object nesting too deeply', () => {
    const input = admission(deployment(anchoredOptions));
    const overflowing = {
      ...snap,
      get policy(): never {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const decision = decide(input, overflowing, NOW);
    expect(decision).toMatchObject({ allowed: false, reason: 'InvalidObject' });
    expect(decision.message).toMatch(/nested too deeply/);
    expect(decision.message).not.toMatch(/report|maintainers/);
  });
});

describe('isAIWorkload', () => {
  const snap = snapshot();
  it('tells AI workloads and why', () => {
    expect(isAIWorkload(unanchored, snap)).toEqual({
      ai: true,
      reasons: ['image vllm/vllm-openai:v0.6.3 of container main matches *vllm*'],
    });
    expect(isAIWorkload(deployment(), snap)).toEqual({ ai: false, reasons: [] });
  });

  it('answers no for anything else', () => {
    for (const object of [null, 'x', { kind: 'Deployment' }, capability()])
      expect(isAIWorkload(object, snap).ai).toBe(false);
  });
});

describe('stampPatch', () => {
  it('is empty for everything but the oos kinds', () => {
    expect(stampPatch(admission(unanchored, { user: robot }), snapshot(), NOW)).toEqual([]);
  });
});
