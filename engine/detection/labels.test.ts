import { describe, expect, it } from 'vitest';
import { deployment, detectionConfig, viewOf } from '../testing/fixtures.js';
import { detectLabels } from './labels.js';

describe('label signal', () => {
  const builtIn = detectionConfig();

  it('fires on oos.dev/ai-workload=true, on the object or its pod template', () => {
    expect(
      detectLabels(
        viewOf(deployment({ labels: { 'oos.dev/ai-workload': 'true' }, templateLabels: {} })),
        builtIn,
      ),
    ).toEqual([{ type: 'Label', reason: 'label oos.dev/ai-workload=true' }]);
    expect(
      detectLabels(
        viewOf(deployment({ templateLabels: { 'oos.dev/ai-workload': 'true' } })),
        builtIn,
      ),
    ).toHaveLength(1);
  });

  it('does not fire on another value', () => {
    expect(
      detectLabels(viewOf(deployment({ labels: { 'oos.dev/ai-workload': 'false' } })), builtIn),
    ).toEqual([]);
  });

  it('always fires on the capability label, whatever the policy', () => {
    const none = detectionConfig({ includeBuiltIns: false });
    expect(
      detectLabels(viewOf(deployment({ labels: { 'oos.dev/capability': 'chat' } })), none),
    ).toEqual([{ type: 'Label', reason: 'label oos.dev/capability=chat' }]);
  });

  it('fires on policy labels, with or without a value', () => {
    const config = detectionConfig({ labels: [{ key: 'team/llm' }, { key: 'tier', value: 'ml' }] });
    const reasons = detectLabels(
      viewOf(deployment({ labels: { 'team/llm': 'anything', tier: 'ml' } })),
      config,
    );
    expect(reasons.map((r) => r.reason)).toEqual(['label team/llm=anything', 'label tier=ml']);
    expect(detectLabels(viewOf(deployment({ labels: { tier: 'web' } })), config)).toEqual([]);
  });
});
