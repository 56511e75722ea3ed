import { describe, expect, it } from 'vitest';
import { aiWorkloadDetectionSchema, DEFAULT_AI_IMAGE_PATTERNS } from '../../api/index.js';
import { compileDetection, groupKindKey } from './config.js';

describe('detection lists', () => {
  it('name kinds as kubectl does', () => {
    expect(groupKindKey({ group: 'serving.kserve.io', kind: 'InferenceService' })).toBe(
      'InferenceService.serving.kserve.io',
    );
    expect(groupKindKey({ group: '', kind: 'Pod' })).toBe('Pod');
  });

  it('add the policy lists to the built-ins by default', () => {
    const config = compileDetection(
      aiWorkloadDetectionSchema.parse({ imagePatterns: ['registry.example.com/ml/*'] }),
    );
    expect(config.images.patterns).toEqual([
      ...DEFAULT_AI_IMAGE_PATTERNS,
      'registry.example.com/ml/*',
    ]);
    expect(config.kinds.has('RayJob.ray.io')).toBe(true);
  });

  it('replace the built-ins when includeBuiltIns is false', () => {
    const config = compileDetection(
      aiWorkloadDetectionSchema.parse({
        includeBuiltIns: false,
        kinds: [{ group: 'x.io', kind: 'Llm' }],
      }),
    );
    expect(config.images.patterns).toEqual([]);
    expect(config.labels).toEqual([]);
    expect([...config.kinds]).toEqual(['Llm.x.io']);
  });
});
