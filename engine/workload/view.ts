import { WORKLOAD_TYPES, workloadTypeKey } from '../../api/index.js';
import { at, field, isRecord, numberAt, stringAt, stringMapAt } from '../json.js';
import { readPodSpec, type PodView } from './pod.js';
import { walkSpec } from './walk.js';

/** Everything the rules read from a workload, extracted once from the untrusted object. */
export interface WorkloadView {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  /** The object's own labels. */
  readonly labels: ReadonlyMap<string, string>;
  /** Labels of its pod template(s); empty for a Pod. */
  readonly templateLabels: ReadonlyMap<string, string>;
  readonly pods: readonly PodView[];
  /** Replicas the workload asks for, when it says (DaemonSets do not). */
  readonly replicas: number | undefined;
  /** True for a kind oos maps exactly (Pod and the built-in pod controllers). */
  readonly builtIn: boolean;
  /** Set when a reading limit was reached: oos did not read all of it (fails closed). */
  readonly limit: string | undefined;
}

export interface KindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

interface BuiltInShape {
  /** Path of the pod template (`metadata` + `spec`); empty for a Pod, whose spec is the pod spec. */
  readonly template: readonly string[];
  /** Path of the replica count and its default; undefined when the kind has none. */
  readonly replicas?: readonly string[];
}

/** Pod and the pod controllers (the workload-type rows with a pod template), keyed by `group/Kind`. */
const BUILT_INS: ReadonlyMap<string, BuiltInShape> = new Map(
  WORKLOAD_TYPES.flatMap((type): [string, BuiltInShape][] =>
    type.podTemplate === undefined
      ? []
      : [[workloadTypeKey(type), { template: type.podTemplate, replicas: type.replicas }]],
  ),
);

/** `apps/v1` → `{group: 'apps', version: 'v1'}`; `v1` → core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The kind an object says it is (`apiVersion` and `kind`), or undefined. */
export function kindOfObject(object: unknown): KindRef | undefined {
  const apiVersion = stringAt(object, 'apiVersion');
  const kind = stringAt(object, 'kind');
  if (apiVersion === undefined || kind === undefined) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  return { group, version, kind };
}

/**
 * What makes a workload unreadable: a non-object `metadata`, or for Pods and the built-in pod
 * controllers a missing `spec`, pod spec or container list. (The apiserver validates CRDs against
 * their own schemas; oos reads those leniently.)
 */
export function structuralProblem(
  object: Readonly<Record<string, unknown>>,
  kind: KindRef,
): string | undefined {
  const metadata = field(object, 'metadata');
  if (metadata !== undefined && !isRecord(metadata)) return 'metadata is not an object';
  const shape = BUILT_INS.get(`${kind.group}/${kind.kind}`);
  if (shape === undefined) return undefined;
  const path = [...shape.template, 'spec'];
  const podSpec = at(object, ...path);
  if (!isRecord(podSpec)) return `${path.join('.')} is missing or not an object`;
  if (!Array.isArray(field(podSpec, 'containers')))
    return `${path.join('.')}.containers is not a list`;
  return undefined;
}

/** Reads a workload. `object` must be a JSON object; anything inside it may be malformed. */
export function readWorkload(
  object: Readonly<Record<string, unknown>>,
  kind: KindRef,
  namespace: string | undefined,
  name: string | undefined,
): WorkloadView {
  const shape = BUILT_INS.get(`${kind.group}/${kind.kind}`);
  let parts: Pick<WorkloadView, 'templateLabels' | 'pods' | 'replicas' | 'limit'>;
  if (shape === undefined) {
    parts = walkSpec(at(object, 'spec'));
  } else if (shape.template.length === 0) {
    const spec = at(object, 'spec');
    parts = {
      templateLabels: new Map(),
      pods: isRecord(spec) ? [readPodSpec(spec, 'spec')] : [],
      replicas: 1,
      limit: undefined,
    };
  } else {
    const template = at(object, ...shape.template);
    const podSpec = at(template, 'spec');
    parts = {
      templateLabels: stringMapAt(template, 'metadata', 'labels'),
      pods: isRecord(podSpec) ? [readPodSpec(podSpec, `${shape.template.join('.')}.spec`)] : [],
      replicas:
        shape.replicas === undefined ? undefined : (numberAt(object, ...shape.replicas) ?? 1),
      limit: undefined,
    };
  }
  // One object literal, no spread: spreading a fresh object is slow on V8's hot path.
  return {
    group: kind.group,
    version: kind.version,
    kind: kind.kind,
    namespace: namespace ?? stringAt(object, 'metadata', 'namespace'),
    name: name ?? stringAt(object, 'metadata', 'name'),
    labels: stringMapAt(object, 'metadata', 'labels'),
    templateLabels: parts.templateLabels,
    pods: parts.pods,
    replicas: parts.replicas,
    builtIn: shape !== undefined,
    limit: parts.limit,
  };
}

/** `Deployment ml/vllm`, `AccountableRole credit-risk-officer`: how messages name an object. */
export function describeObject(
  kind: string,
  namespace: string | undefined,
  name: string | undefined,
): string {
  const shown = name ?? '(unnamed)';
  return namespace === undefined || namespace === ''
    ? `${kind} ${shown}`
    : `${kind} ${namespace}/${shown}`;
}

/** The label value a workload or its pod template carries (the object's own label first). */
export function labelOf(view: WorkloadView, key: string): string | undefined {
  return view.labels.get(key) ?? view.templateLabels.get(key);
}
