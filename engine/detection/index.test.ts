import { describe, expect, it } from 'vitest';
import { deployment, detectionConfig, viewOf } from '../testing/fixtures.js';
import { detect } from './index.js';

describe('detection', () => {
  const builtIn = detectionConfig();

  it('reports every signal that matched', () => {
    const view = viewOf(
      deployment({
        labels: { 'oos.dev/ai-workload': 'true' },
        image: 'vllm/vllm-openai:v0.6.3',
        env: [{ name: 'HF_TOKEN' }],
        resources: { limits: { 'nvidia.com/gpu': 1 } },
      }),
    );
    const { ai, signals } = detect(view, builtIn);
    expect(ai).toBe(true);
    expect(signals.map((s) => s.type)).toEqual(['Label', 'Accelerator', 'Image', 'Credential']);
  });

  it('finds nothing in a plain web server', () => {
    expect(detect(viewOf(deployment({ image: 'nginx:1.27' })), builtIn)).toEqual({
      workload: true,
      ai: false,
      signals: [],
    });
  });

  it('never counts objects that are not workloads, whatever their labels', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { labels: { 'oos.dev/capability': 'x' } },
      data: {},
    };
    expect(detect(viewOf(configMap), builtIn)).toEqual({ workload: false, ai: false, signals: [] });
  });

  it('counts other kinds that hold a pod spec', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {},
      spec: { template: { spec: { containers: [{ image: 'ollama/ollama:0.5' }] } } },
    };
    expect(detect(viewOf(rollout), builtIn).ai).toBe(true);
  });

  it('judges ephemeral (debug) containers like containers: image, env and envFrom', () => {
    const withDebugger = (debug: Record<string, unknown>) =>
      viewOf({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'ml' },
        spec: {
          containers: [{ name: 'app', image: 'nginx:1.27' }],
          ephemeralContainers: [{ name: 'debugger', ...debug }],
        },
      });
    expect(detect(withDebugger({ image: 'busybox' }), builtIn).ai).toBe(false);
    expect(detect(withDebugger({ image: 'ollama/ollama:0.5' }), builtIn).signals).toEqual([
      {
        type: 'Image',
        reason: 'image ollama/ollama:0.5 of container debugger matches *ollama*',
      },
    ]);
    expect(
      detect(withDebugger({ image: 'busybox', env: [{ name: 'OPENAI_API_KEY' }] }), builtIn)
        .signals,
    ).toEqual([
      {
        type: 'Credential',
        reason: 'model-provider credential OPENAI_API_KEY in container debugger',
      },
    ]);
    expect(
      detect(
        withDebugger({ image: 'busybox', envFrom: [{ secretRef: { name: 'openai-key' } }] }),
        builtIn,
      ).ai,
    ).toBe(true);
  });
});
