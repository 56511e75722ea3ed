import { deepFreeze } from './freeze.js';
import type { GroupKind } from './group-kind.js';
import { AI_WORKLOAD_LABEL_VALUE, LABEL_AI_WORKLOAD } from './labels.js';

/**
 * Built-in AI workload detection (DESIGN.md §2). Any one signal marks a workload as AI. A
 * GovernancePolicy adds its own lists to these, or replaces them with `includeBuiltIns: false`.
 * Globs: `*` matches any run of characters, `/` included; everything else matches itself.
 */

/** A label that marks a workload as AI; without `value`, any value does. */
export interface DetectionLabel {
  readonly key: string;
  readonly value?: string;
}

/** Labels that mark a workload as AI (a workload with an `oos.dev/capability` label always is). */
export const DEFAULT_AI_LABELS: readonly DetectionLabel[] = deepFreeze([
  { key: LABEL_AI_WORKLOAD, value: AI_WORKLOAD_LABEL_VALUE },
]);

/** Extended resources (requests or limits) that are accelerators. */
export const DEFAULT_ACCELERATOR_RESOURCES: readonly string[] = deepFreeze([
  'nvidia.com/gpu',
  'nvidia.com/mig-*',
  'amd.com/gpu',
  'gpu.intel.com/*',
  'google.com/tpu',
  'aws.amazon.com/neuron*',
  'habana.ai/gaudi',
]);

/** Container images of known AI runtimes, matched against the full image reference. */
export const DEFAULT_AI_IMAGE_PATTERNS: readonly string[] = deepFreeze([
  '*vllm/vllm-openai*',
  '*/vllm:*',
  '*text-generation-inference*',
  '*ollama/ollama*',
  '*tritonserver*',
  '*lmsysorg/sglang*',
  '*llama.cpp*',
  '*localai/localai*',
  '*kserve/*',
  '*rayproject/ray*',
  '*pytorch/pytorch*',
  '*tensorflow/tensorflow*',
]);

/** Environment variable names that hold a model provider's credentials: how AI agents without GPUs are found. */
export const DEFAULT_CREDENTIAL_ENV_VARS: readonly string[] = deepFreeze([
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'AZURE_OPENAI_*',
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HUGGINGFACEHUB_API_TOKEN',
  'MISTRAL_API_KEY',
  'COHERE_API_KEY',
  'GROQ_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'TOGETHER_API_KEY',
  'FIREWORKS_API_KEY',
  'DEEPSEEK_API_KEY',
  'XAI_API_KEY',
  'PERPLEXITY_API_KEY',
  'REPLICATE_API_TOKEN',
  'VOYAGE_API_KEY',
]);

/** Kinds that are AI by nature. */
export const DEFAULT_AI_KINDS: readonly GroupKind[] = deepFreeze([
  { group: 'serving.kserve.io', kind: 'InferenceService' },
  { group: 'ray.io', kind: 'RayCluster' },
  { group: 'ray.io', kind: 'RayJob' },
  { group: 'ray.io', kind: 'RayService' },
  { group: 'kubeflow.org', kind: 'PyTorchJob' },
  { group: 'kubeflow.org', kind: 'TFJob' },
  { group: 'kubeflow.org', kind: 'Notebook' },
  { group: 'kagent.dev', kind: 'Agent' },
  { group: 'agents.x-k8s.io', kind: 'Sandbox' },
]);

/** Kinds whose pods oos inspects through a pod template (besides Pods themselves). */
export const WORKLOAD_KINDS: readonly GroupKind[] = deepFreeze([
  { group: '', kind: 'Pod' },
  { group: '', kind: 'ReplicationController' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'ReplicaSet' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
]);
