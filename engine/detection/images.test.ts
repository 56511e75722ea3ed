import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_IMAGE_PATTERNS } from '../../api/index.js';
import { compileGlob } from '../glob.js';
import { cronJob, detectionConfig, pod, viewOf } from '../testing/fixtures.js';
import { detectImages } from './images.js';

const IMAGES = [
  'vllm/vllm-openai:v0.6.3',
  'docker.io/vllm/vllm-openai:latest',
  'registry.example.com/mirror/vllm:0.6',
  'ghcr.io/huggingface/text-generation-inference:2.4',
  'ollama/ollama:0.5',
  'nvcr.io/nvidia/tritonserver:24.08-py3',
  'lmsysorg/sglang:latest',
  'ghcr.io/ggerganov/llama.cpp:server',
  'localai/localai:latest-gpu',
  'kserve/huggingfaceserver:v0.14',
  'rayproject/ray:2.40.0-gpu',
  'pytorch/pytorch:2.5.0-cuda12.4-cudnn9-runtime',
  'tensorflow/tensorflow:2.17.0-gpu',
];

describe('image signal', () => {
  const builtIn = detectionConfig();

  it.each(IMAGES)('fires on %s', (image) => {
    const signals = detectImages(viewOf(pod({ image })), builtIn);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.reason).toMatch(
      new RegExp(
        `^image ${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} of container main matches `,
      ),
    );
  });

  it('is exercised above for every built-in image glob', () => {
    const untested = DEFAULT_AI_IMAGE_PATTERNS.filter(
      (glob) => !IMAGES.some((image) => compileGlob(glob).regex.test(image)),
    );
    expect(untested).toEqual([]);
  });

  it('does not fire on ordinary images', () => {
    expect(detectImages(viewOf(pod({ image: 'nginx:1.27' })), builtIn)).toEqual([]);
    expect(detectImages(viewOf(pod({ image: 'postgres:17' })), builtIn)).toEqual([]);
  });

  it('looks into init containers and CronJob templates, and uses policy globs', () => {
    const config = detectionConfig({ imagePatterns: ['registry.example.com/ml/*'] });
    const view = viewOf(
      cronJob({ initContainers: [{ name: 'fetch', image: 'registry.example.com/ml/fetch:1' }] }),
    );
    expect(detectImages(view, config).map((s) => s.reason)).toEqual([
      'image registry.example.com/ml/fetch:1 of container fetch matches registry.example.com/ml/*',
    ]);
  });
});
