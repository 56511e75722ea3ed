import { describe, expect, it } from 'vitest';
import { anchoredLabels, chainState, deployment, snapshot } from '../testing/fixtures.js';
import { anchor } from './anchor.js';

describe('the anchor', () => {
  it('is the oos.dev/capability label, on the object or its pod template', () => {
    expect(
      anchor(
        chainState(
          deployment({ image: 'ollama/ollama:0.5', labels: anchoredLabels, templateLabels: {} }),
        ),
      ),
    ).toHaveProperty('next');
    expect(
      anchor(
        chainState(deployment({ image: 'ollama/ollama:0.5', templateLabels: anchoredLabels })),
      ),
    ).toHaveProperty('next');
  });

  it('is missing: the message says why the workload is AI and lists the capabilities of its namespace', () => {
    const result = anchor(
      chainState(deployment({ name: 'vllm', image: 'vllm/vllm-openai:v0.6.3' })),
    );
    expect(result).toMatchObject({ verdict: { reason: 'AnchorMissing' } });
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.message).toBe(
      'Deployment ml/vllm is an AI workload (image vllm/vllm-openai:v0.6.3 of container main matches *vllm*) but no capability anchors it: add the label oos.dev/capability naming one of the capabilities of namespace ml (chat-assistant and forecasting).',
    );
  });

  it('is missing in a namespace without capabilities: the message says to create one', () => {
    const result = anchor(
      chainState(deployment({ namespace: 'empty', image: 'ollama/ollama:0.5' }), snapshot()),
    );
    if (!('verdict' in result)) throw new Error('expected a verdict');
    expect(result.verdict.message).toContain(
      'namespace empty has no Capability yet, so create one',
    );
  });
});
