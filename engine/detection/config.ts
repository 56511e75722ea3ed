import {
  DEFAULT_ACCELERATOR_DEVICE_CLASSES,
  DEFAULT_ACCELERATOR_RESOURCES,
  DEFAULT_AI_IMAGE_PATTERNS,
  DEFAULT_AI_KINDS,
  DEFAULT_AI_LABELS,
  DEFAULT_CREDENTIAL_ENV_VARS,
  DEFAULT_CREDENTIAL_SOURCE_NAMES,
  type AiWorkloadDetection,
  type DetectionLabel,
  type GroupKind,
} from '../../api/index.js';
import { GlobList } from '../glob.js';

/** The detection lists of the policy in force, compiled once per snapshot. */
export interface DetectionConfig {
  readonly labels: readonly DetectionLabel[];
  readonly accelerators: GlobList;
  readonly images: GlobList;
  readonly credentials: GlobList;
  /** Names of Secrets and ConfigMaps whose `envFrom` import is a credential signal. */
  readonly credentialSources: GlobList;
  /** DRA DeviceClass and driver names of accelerators. */
  readonly deviceClasses: GlobList;
  /** Keys of {@link groupKindKey}. */
  readonly kinds: ReadonlySet<string>;
}

/** `InferenceService.serving.kserve.io`, `Pod` for the core group: how kubectl names a kind. */
export function groupKindKey(kind: GroupKind): string {
  return kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
}

function merged<T>(
  includeBuiltIns: boolean,
  builtIns: readonly T[],
  own: readonly T[] | undefined,
) {
  return includeBuiltIns ? [...builtIns, ...(own ?? [])] : [...(own ?? [])];
}

/** Built-in lists plus (or, with `includeBuiltIns: false`, replaced by) the policy's own. */
export function compileDetection(detection: AiWorkloadDetection): DetectionConfig {
  const builtIns = detection.includeBuiltIns;
  return {
    labels: merged(builtIns, DEFAULT_AI_LABELS, detection.labels),
    accelerators: new GlobList(
      merged(builtIns, DEFAULT_ACCELERATOR_RESOURCES, detection.acceleratorResources),
    ),
    images: new GlobList(merged(builtIns, DEFAULT_AI_IMAGE_PATTERNS, detection.imagePatterns)),
    credentials: new GlobList(
      merged(builtIns, DEFAULT_CREDENTIAL_ENV_VARS, detection.credentialEnvVars),
    ),
    credentialSources: new GlobList(
      merged(builtIns, DEFAULT_CREDENTIAL_SOURCE_NAMES, detection.credentialSourceNames),
    ),
    deviceClasses: new GlobList(
      merged(builtIns, DEFAULT_ACCELERATOR_DEVICE_CLASSES, detection.acceleratorDeviceClasses),
    ),
    kinds: new Set(merged(builtIns, DEFAULT_AI_KINDS, detection.kinds).map(groupKindKey)),
  };
}
