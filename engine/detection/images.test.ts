import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_IMAGE_PATTERNS } from '../../api/index.js';
import { compileGlob } from '../glob.js';
import { cronJob, detectionConfig, pod, viewOf } from '../testing/fixtures.js';
import { detectImages } from './images.js';

const IMAGES = [
  'vllm/vllm-openai:v0.6.3',
  'docker.io/vllm/vllm-openai:latest',
  'registry.example.com/mirror/vllm:0.6',
  'rocm/vllm:latest',
  'lmsysorg/sglang:latest',
  'openmmlab/lmdeploy:latest',
  'ghcr.io/llm-d/llm-d:v0.2.0',
  'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.4.0',
  'ghcr.io/huggingface/text-generation-inference:2.4',
  'ghcr.io/huggingface/text-embeddings-inference:cpu-1.5',
  'registry.example.com/text-embeddings-inference:1.5',
  'huggingface/transformers-pytorch-gpu:latest',
  '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4-tgi2.3-gpu-py311-cu124-ubuntu22.04',
  'ollama/ollama:0.5',
  'ghcr.io/ggml-org/llama.cpp:server',
  'ghcr.io/abetlen/llama-cpp-python:latest',
  'localai/localai:latest-gpu',
  'quay.io/go-skynet/local-ai:v2.20',
  'xprobe/xinference:v1.0.0',
  'ghcr.io/bentoml/openllm:latest',
  'registry.example.com/deepspeed-mii:0.3',
  'ghcr.io/berriai/litellm:main-stable',
  'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3',
  'nvcr.io/nvidia/nemo:24.12',
  'nvcr.io/nvidia/tritonserver:24.08-py3',
  'nvcr.io/nvidia/tensorrt-llm/release:0.17.0',
  'nvcr.io/nvidia/pytorch:24.10-py3',
  'nvcr.io/nvidia/tensorflow:24.10-tf2-py3',
  'kserve/huggingfaceserver:v0.14',
  'kserve/modelmesh-runtime-adapter:v0.12',
  'quay.io/opendatahub/modelmesh:v0.12',
  'seldonio/mlserver:1.6.1',
  'bentoml/bento-server:1.3',
  'pytorch/torchserve:0.12.0-gpu',
  'tensorflow/serving:2.17.0-gpu',
  'openvino/model_server:2024.5',
  'rayproject/ray:2.40.0-gpu',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.4-gpu-py311',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.4-gpu-py311',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/tensorflow-inference:2.16-gpu',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/tensorflow-training:2.16-gpu',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/djl-inference:0.30.0-lmi12.0.0-cu124',
  'public.ecr.aws/neuron/pytorch-inference-neuronx:2.1.2-neuronx-py310-sdk2.20.0',
  'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest',
  'us-docker.pkg.dev/deeplearning-platform-release/gcr.io/huggingface-text-generation-inference-cu124.2-4',
  'vault.habana.ai/gaudi-docker/1.18.0/ubuntu22.04/habanalabs/pytorch-installer-2.4.0:latest',
  'pytorch/pytorch:2.5.0-cuda12.4-cudnn9-runtime',
  'tensorflow/tensorflow:2.17.0-gpu',
  'intel/intel-extension-for-pytorch:2.5.10-xpu',
  'rocm/pytorch:latest',
  'rocm/tensorflow:latest',
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
    for (const image of ['redis:7', 'grafana/grafana:11', 'quay.io/prometheus/prometheus:v3']) {
      expect(detectImages(viewOf(pod({ image })), builtIn)).toEqual([]);
    }
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
