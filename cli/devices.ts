import { indexDevices, splitApiVersion, type DeviceIndex } from '../engine/index.js';
import type { Manifest } from './manifests.js';

/** DRA's API group. */
const RESOURCE_GROUP = 'resource.k8s.io';

function withNamespace(object: Readonly<Record<string, unknown>>): unknown {
  const metadata = object.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return object;
  const namespace = (metadata as Record<string, unknown>).namespace;
  return typeof namespace === 'string'
    ? object
    : { ...object, metadata: { ...metadata, namespace: 'default' } };
}

/**
 * The Dynamic Resource Allocation objects among the manifests (ResourceClaims,
 * ResourceClaimTemplates, DeviceClasses), indexed for the engine. `oos check` has no cluster: a
 * pod naming a claim or template the manifests do not hold fails closed, as admission does when
 * its cache lacks one.
 */
export function devicesOf(manifests: readonly Manifest[]): DeviceIndex {
  const of = (kind: string) =>
    manifests
      .map((manifest) => manifest.object)
      .filter(
        (object) =>
          object.kind === kind &&
          splitApiVersion(String(object.apiVersion)).group === RESOURCE_GROUP,
      );
  return indexDevices({
    claims: of('ResourceClaim').map(withNamespace),
    claimTemplates: of('ResourceClaimTemplate').map(withNamespace),
    deviceClasses: of('DeviceClass'),
  });
}
