import { deepFreeze } from './freeze.js';
import type { GroupKind } from './group-kind.js';
import { AI_WORKLOAD_LABEL_VALUE, LABEL_AI_WORKLOAD } from './labels.js';
import { kindsOf } from './workload-types.js';

/**
 * Built-in AI workload detection. Any one signal marks a workload as AI. A
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

/**
 * Extended resources (requests or limits) that are accelerators, by vendor *family*: a device
 * plugin may rename what it advertises (NVIDIA time-slicing's `nvidia.com/gpu.shared`, MIG
 * profiles such as `nvidia.com/mig-1g.10gb`, vGPU and passthrough models, AMD partitions), so
 * every resource of an accelerator vendor's domain counts, not only the default names.
 */
export const DEFAULT_ACCELERATOR_RESOURCES: readonly string[] = deepFreeze([
  'nvidia.com/*',
  'amd.com/*',
  'gpu.intel.com/*',
  'npu.intel.com/*',
  'habana.ai/*',
  'google.com/tpu*',
  'aws.amazon.com/neuron*',
  'huawei.com/Ascend*',
  'qualcomm.com/qaic*',
  'cambricon.com/mlu*',
  'aliyun.com/gpu*',
  'volcano.sh/vgpu*',
]);

/**
 * Container images of known AI runtimes, matched against the full image reference: inference
 * servers and vendor microservices, model gateways, training and notebook framework images.
 */
export const DEFAULT_AI_IMAGE_PATTERNS: readonly string[] = deepFreeze([
  // vLLM (and its ROCm, TPU, Neuron, CPU builds), SGLang, LMDeploy, llm-d, NVIDIA Dynamo
  '*vllm*',
  '*sglang*',
  '*lmdeploy*',
  '*llm-d/*',
  '*ai-dynamo*',
  // Hugging Face: TGI, TEI, the Hugging Face DLCs on AWS and Google Cloud
  '*text-generation-inference*',
  '*text-embeddings-inference*',
  '*huggingface/*',
  '*/huggingface-*',
  // local and self-hosted LLM servers
  '*ollama*',
  '*llama.cpp*',
  '*llama-cpp*',
  '*localai/localai*',
  '*go-skynet/local-ai*',
  '*xinference*',
  '*openllm*',
  '*deepspeed*',
  '*litellm*',
  // NVIDIA: NIM microservices, NeMo, Triton (and its TensorRT-LLM and vLLM backends), TensorRT
  '*nvcr.io/nim/*',
  '*nvcr.io/nvidia/nemo*',
  '*tritonserver*',
  '*tensorrt*',
  '*nvcr.io/nvidia/pytorch*',
  '*nvcr.io/nvidia/tensorflow*',
  // model servers: KServe (and ModelMesh), Seldon MLServer, BentoML, TorchServe, TF Serving, OpenVINO
  '*kserve/*',
  '*modelmesh*',
  '*mlserver*',
  '*bentoml/*',
  '*torchserve*',
  '*tensorflow/serving*',
  '*openvino/model_server*',
  // Ray
  '*rayproject/ray*',
  // cloud deep-learning containers: AWS DLC and Neuron, Google Vertex AI and Deep Learning, Gaudi
  '*/pytorch-inference*',
  '*/pytorch-training*',
  '*/tensorflow-inference*',
  '*/tensorflow-training*',
  '*djl-inference*',
  '*neuronx*',
  '*vertex-ai*',
  '*deeplearning-platform-release/*',
  '*gaudi-docker*',
  // framework images: PyTorch, TensorFlow, Intel and AMD ROCm builds
  '*pytorch/pytorch*',
  '*tensorflow/tensorflow*',
  '*intel-extension-for-pytorch*',
  '*rocm/pytorch*',
  '*rocm/tensorflow*',
]);

/**
 * Environment variable names that hold a model provider's credentials (or name the account an AI
 * provider bills): how AI agents without GPUs are found. Deliberately absent, because every
 * cloud workload carries them: `GOOGLE_APPLICATION_CREDENTIALS`, `AWS_ACCESS_KEY_ID`,
 * `AZURE_CLIENT_SECRET`.
 */
export const DEFAULT_CREDENTIAL_ENV_VARS: readonly string[] = deepFreeze([
  'OPENAI_API_KEY',
  'OPENAI_ADMIN_KEY',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'AZURE_OPENAI_*',
  'AZURE_AI_*',
  'AZURE_INFERENCE_*',
  'HF_TOKEN',
  'HF_API_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HUGGINGFACEHUB_API_TOKEN',
  'HUGGINGFACE_API_KEY',
  'HUGGINGFACE_TOKEN',
  'MISTRAL_API_KEY',
  'COHERE_API_KEY',
  'CO_API_KEY',
  'GROQ_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_GENAI_*',
  'VERTEX_*',
  'VERTEXAI_*',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_BEDROCK_*',
  'BEDROCK_*',
  'WATSONX_*',
  'NVIDIA_API_KEY',
  'NGC_API_KEY',
  'OPENROUTER_API_KEY',
  'TOGETHER_API_KEY',
  'FIREWORKS_API_KEY',
  'DEEPSEEK_API_KEY',
  'XAI_API_KEY',
  'PERPLEXITY_API_KEY',
  'REPLICATE_API_TOKEN',
  'VOYAGE_API_KEY',
  'CEREBRAS_API_KEY',
  'SAMBANOVA_API_KEY',
  'AI21_API_KEY',
  'DASHSCOPE_API_KEY',
  'MOONSHOT_API_KEY',
  'LANGCHAIN_API_KEY',
  'LANGSMITH_API_KEY',
  'WANDB_API_KEY',
]);

/**
 * Names of Secrets and ConfigMaps that look like they hold model-provider credentials, as globs:
 * an `envFrom` import of one is a credential signal. A heuristic: the keys an `envFrom` imports
 * are not in the object, and a Secret can be renamed (docs/threat-model.md says what then holds).
 */
export const DEFAULT_CREDENTIAL_SOURCE_NAMES: readonly string[] = deepFreeze([
  '*openai*',
  '*anthropic*',
  '*claude*',
  '*hf-token*',
  '*huggingface*',
  '*hugging-face*',
  '*llm*',
  '*model-provider*',
  '*gemini*',
  '*mistral*',
  '*cohere*',
  '*groq*',
  '*bedrock*',
  '*vertex-ai*',
  '*watsonx*',
  '*openrouter*',
  '*deepseek*',
  '*ngc-api*',
  '*nvidia-api*',
]);

/**
 * Dynamic Resource Allocation: DeviceClass names and DRA driver names (a DeviceClass's CEL
 * selectors name them, e.g. `device.driver == "gpu.nvidia.com"`) of accelerators, as globs. A
 * Pod that claims a device of such a class (a `resourceClaims[]` entry whose ResourceClaim or
 * ResourceClaimTemplate requests it) is accelerated.
 */
export const DEFAULT_ACCELERATOR_DEVICE_CLASSES: readonly string[] = deepFreeze([
  '*gpu*',
  '*.nvidia.com',
  '*tpu*',
  '*neuron*',
  '*gaudi*',
  '*habana*',
]);

/** Kinds that are AI by nature: the AI custom kinds of the workload-type table. */
export const DEFAULT_AI_KINDS: readonly GroupKind[] = deepFreeze([...kindsOf('AICustomKind')]);
