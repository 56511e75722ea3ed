import { field, isRecord, toStringMap } from '../json.js';
import { readContainer } from './container.js';
import { readPodSpec, serviceAccountOf, DEFAULT_SERVICE_ACCOUNT, type PodView } from './pod.js';

/**
 * Finds the pods of kinds oos has no exact map of (AI kinds such as RayCluster, PyTorchJob,
 * InferenceService, Sandbox, and any other CRD): a bounded walk over `spec` that collects
 *  - pod specs: objects with a `containers` array;
 *  - container-like parts outside a pod spec (an `image` string or a `resources` object with
 *    requests or limits, e.g. KServe's `predictor.model`), each counted as a pod of its own;
 *  - replica counts (`replicas`, `maxReplicas`): the largest is what the workload asks for;
 *  - labels of nested `metadata` (pod templates).
 * A `serviceAccountName` on an enclosing object is the ServiceAccount of what it holds.
 *
 * The walk never fails open: past {@link MAX_DEPTH} levels or {@link MAX_NODES} objects and
 * lists it stops and says so in `limit`, and the decision is a denial (`ObjectTooComplex`), never
 * "no signal" for what it did not read.
 */

/** Deepest level of `spec` read (a RayCluster's pod spec sits at depth 4). */
export const MAX_DEPTH = 32;
/** Most objects and lists read outside pod specs. */
export const MAX_NODES = 10_000;
const REPLICA_FIELDS = ['replicas', 'maxReplicas'] as const;

export interface WalkResult {
  readonly pods: PodView[];
  readonly templateLabels: Map<string, string>;
  replicas: number | undefined;
  /** Set when a limit stopped the walk: what was not read, in words. */
  limit: string | undefined;
}

function looksLikeContainer(value: Readonly<Record<string, unknown>>): boolean {
  if (typeof field(value, 'image') === 'string') return true;
  const resources = field(value, 'resources');
  return isRecord(field(resources, 'limits')) || isRecord(field(resources, 'requests'));
}

function noteReplicas(value: Readonly<Record<string, unknown>>, result: WalkResult): void {
  for (const name of REPLICA_FIELDS) {
    const count = field(value, name);
    if (typeof count === 'number' && Number.isFinite(count)) {
      result.replicas = Math.max(result.replicas ?? 0, count);
    }
  }
}

function noteLabels(value: Readonly<Record<string, unknown>>, result: WalkResult): void {
  for (const [key, label] of toStringMap(field(field(value, 'metadata'), 'labels'))) {
    if (!result.templateLabels.has(key)) result.templateLabels.set(key, label);
  }
}

export function walkSpec(spec: unknown): WalkResult {
  const result: WalkResult = {
    pods: [],
    templateLabels: new Map(),
    replicas: undefined,
    limit: undefined,
  };
  let nodes = 0;
  const visit = (value: unknown, where: string, depth: number, serviceAccount: string): void => {
    if (result.limit !== undefined || (!Array.isArray(value) && !isRecord(value))) return;
    nodes += 1;
    if (depth > MAX_DEPTH) {
      result.limit = `${where} is nested deeper than ${String(MAX_DEPTH)} levels`;
      return;
    }
    if (nodes > MAX_NODES) {
      result.limit = `its spec holds more than ${String(MAX_NODES)} objects and lists`;
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => {
        visit(item, `${where}[${index}]`, depth + 1, serviceAccount);
      });
      return;
    }
    if (!isRecord(value)) return;
    if (Array.isArray(field(value, 'containers'))) {
      result.pods.push(readPodSpec(value, where, serviceAccount));
      return;
    }
    if (depth > 0 && looksLikeContainer(value)) {
      const container = readContainer(value, false, where.slice(where.lastIndexOf('.') + 1));
      result.pods.push({ where, serviceAccount, containers: [container], claims: [] });
      return;
    }
    noteReplicas(value, result);
    noteLabels(value, result);
    const inherited = serviceAccountOf(value, serviceAccount);
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'metadata') visit(child, `${where}.${key}`, depth + 1, inherited);
    }
  };
  visit(spec, 'spec', 0, DEFAULT_SERVICE_ACCOUNT);
  return result;
}
