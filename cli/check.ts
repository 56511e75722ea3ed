import { findKind, GROUP } from '../api/index.js';
import {
  applyPatch,
  buildSnapshot,
  decide,
  splitApiVersion,
  stampPatch,
  withDevices,
  type AdmissionInput,
  type Chain,
  type Identity,
  type ReasonCode,
} from '../engine/index.js';
import type { EnforcementMode } from '../api/index.js';
import { devicesOf } from './devices.js';
import { governanceObjects } from './governance.js';
import {
  checkGraph,
  findingWarning,
  interactionFindings,
  type InteractionFinding,
  type InteractionRefusal,
} from './interactions.js';
import { loadManifests, type Manifest, type ManifestSource } from './manifests.js';
import { mergeNamespaceLabels, namespaceLabelsOf, type NamespaceLabels } from './namespaces.js';
import { CLUSTER_SCOPED_KINDS } from './scope.js';

export interface CheckOptions {
  /** Manifests to evaluate: files, directories or `-` for standard input. */
  readonly files: readonly string[];
  /** Files or directories holding the governance objects. */
  readonly governance: readonly string[];
  readonly now: Date;
  readonly identity: Identity;
  /** Labels per namespace (`--namespace-labels`), over those of Namespace objects in the input. */
  readonly namespaceLabels: NamespaceLabels;
  /** The namespace oos runs in (always exempt). */
  readonly operatorNamespace?: string;
}

/** The decision about one object of the manifests. */
export interface CheckResult {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly allowed: boolean;
  /** The engine's reason, or admission's refusal of a Capability's interactions. */
  readonly reason: ReasonCode | InteractionRefusal;
  readonly message: string;
  readonly warnings: readonly string[];
  readonly chain: Chain;
  readonly mode: EnforcementMode;
  readonly detection: readonly string[];
  /** `file:document` the object came from. */
  readonly source: string;
  /** A Capability's interactions and how each stands (empty for any other object). */
  readonly interactions: readonly InteractionFinding[];
}

function metadataOf(object: Readonly<Record<string, unknown>>): {
  name?: unknown;
  namespace?: unknown;
} {
  const metadata = object.metadata;
  return typeof metadata === 'object' && metadata !== null ? metadata : {};
}

function isClusterScoped(group: string, kind: string): boolean {
  if (group === GROUP) return findKind(kind)?.scope === 'Cluster';
  return CLUSTER_SCOPED_KINDS.has(group === '' ? kind : `${kind}.${group}`);
}

/** The admission request the apiserver would send for creating `manifest`'s object. */
function admissionInput(
  manifest: Manifest,
  identity: Identity,
  labels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): AdmissionInput {
  const { object } = manifest;
  const { group, version } = splitApiVersion(String(object.apiVersion));
  const kind = String(object.kind);
  const metadata = metadataOf(object);
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = isClusterScoped(group, kind)
    ? undefined
    : typeof metadata.namespace === 'string'
      ? metadata.namespace
      : 'default';
  const withNamespace =
    namespace === undefined ? object : { ...object, metadata: { ...metadata, namespace } };
  const namespaceLabels = namespace === undefined ? undefined : labels.get(namespace);
  return {
    operation: 'CREATE',
    kind: { group, version, kind },
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    object: withNamespace,
    userInfo: identity,
    ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
  };
}

/**
 * A Capability's result with its interactions: the first one admission refuses denies it (unless
 * the engine already did: the first failure decides), those neither agreed nor refused are
 * warnings that name the role that must answer.
 */
function withInteractions(
  result: CheckResult,
  interactions: readonly InteractionFinding[],
): CheckResult {
  const refused = interactions.find((finding) => finding.refusal !== null);
  const refusal = refused?.refusal ?? null;
  const warnings = interactions
    .filter((finding) => finding.state !== 'Agreed' && finding.refusal === null)
    .map(findingWarning);
  if (refused !== undefined && refusal !== null && result.allowed) {
    return {
      ...result,
      allowed: false,
      reason: refusal,
      message: refused.message,
      warnings: [...result.warnings, ...warnings],
    };
  }
  return warnings.length === 0
    ? result
    : { ...result, warnings: [...result.warnings, ...warnings] };
}

/**
 * Evaluates every object of the manifests against the governance objects, as the admission
 * server would on CREATE: the mutating webhook's stamps first, then the validating decision; and
 * the interactions of every Capability among them (`interactions.ts`).
 */
export async function check(options: CheckOptions, io: ManifestSource): Promise<CheckResult[]> {
  const governance = await loadManifests(options.governance, io);
  const manifests = await loadManifests(options.files, io);
  const governed = governanceObjects(governance);
  const snapshot = withDevices(
    buildSnapshot(governed, {
      ...(options.operatorNamespace === undefined
        ? {}
        : { operatorNamespace: options.operatorNamespace }),
    }),
    devicesOf([...governance, ...manifests]),
  );
  const labels = mergeNamespaceLabels(
    namespaceLabelsOf([...governance, ...manifests]),
    options.namespaceLabels,
  );
  const given = governanceObjects(manifests);
  const graph = checkGraph(
    governed,
    { capabilities: given.capabilities ?? [], policies: given.policies ?? [] },
    options.operatorNamespace,
  );
  return manifests.map((manifest) => {
    const input = admissionInput(manifest, options.identity, labels);
    const mutated = applyPatch(input.object, stampPatch(input, snapshot, options.now));
    const decision = decide({ ...input, object: mutated }, snapshot, options.now);
    const interactions =
      input.kind.group === GROUP && input.kind.kind === 'Capability'
        ? interactionFindings(graph, `${input.namespace ?? ''}/${input.name ?? ''}`)
        : [];
    return withInteractions(
      {
        kind: input.kind.kind,
        apiVersion: String(manifest.object.apiVersion),
        namespace: input.namespace,
        name: input.name,
        allowed: decision.allowed,
        reason: decision.reason,
        message: decision.message,
        warnings: decision.warnings,
        chain: decision.chain,
        mode: decision.mode,
        detection: decision.detection,
        source: `${manifest.source}#${manifest.document}`,
        interactions,
      },
      interactions,
    );
  });
}
