import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { admission, NOW, snapshot } from '../testing/fixtures.js';
import { MAX_DEPTH, MAX_NODES, walkSpec } from './walk.js';

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = { nested: value };
  return value;
}

function rayCluster(spec: unknown) {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'r', namespace: 'ml' },
    spec,
  };
}

describe('the bounded walk over kinds oos has no map of', () => {
  it('finds pod specs and container-like parts', () => {
    const result = walkSpec({
      headGroupSpec: { template: { spec: { containers: [{ image: 'rayproject/ray:2' }] } } },
      predictor: { model: { image: 'x' } },
    });
    expect(result.pods.map((pod) => pod.where)).toEqual([
      'spec.headGroupSpec.template.spec',
      'spec.predictor.model',
    ]);
    expect(result.limit).toBeUndefined();
  });

  it('stops past its depth limit and says so', () => {
    const deep = nested(MAX_DEPTH + 5, { containers: [{ image: 'vllm/vllm-openai:v0' }] });
    const result = walkSpec(deep);
    expect(result.pods).toEqual([]);
    expect(result.limit).toMatch(new RegExp(`nested deeper than ${String(MAX_DEPTH)} levels`));
  });

  it('stops past its size limit and says so', () => {
    const wide = { groups: Array.from({ length: MAX_NODES + 10 }, () => ({ a: {} })) };
    expect(walkSpec(wide).limit).toMatch(/more than 10000 objects and lists/);
  });

  it('reads big but ordinary specs: lists of scalars are not counted', () => {
    const result = walkSpec({ hosts: Array.from({ length: 50_000 }, (_, i) => `h${String(i)}`) });
    expect(result.limit).toBeUndefined();
  });
});

describe('a limit reached fails closed', () => {
  it('denies a deep object with ObjectTooComplex, whatever the enforcement mode', () => {
    const decision = decide(
      admission(rayCluster(nested(MAX_DEPTH + 5, { image: 'vllm/vllm-openai:v0' }))),
      snapshot(),
      NOW,
    );
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toBe('ObjectTooComplex');
    expect(decision.message).toMatch(/cannot tell whether it is an AI workload/);
  });

  it('denies a wide object with ObjectTooComplex', () => {
    const wide = { workers: Array.from({ length: MAX_NODES + 1 }, () => ({ x: [] })) };
    const decision = decide(admission(rayCluster(wide)), snapshot(), NOW);
    expect(decision.reason).toBe('ObjectTooComplex');
    expect(decision.allowed).toBe(false);
  });

  it('still admits an object just within the limits', () => {
    const decision = decide(
      admission(
        rayCluster(
          nested(MAX_DEPTH - 2, { template: { spec: { containers: [{ image: 'nginx' }] } } }),
        ),
      ),
      snapshot(),
      NOW,
    );
    expect(decision.reason).not.toBe('ObjectTooComplex');
  });
});
