import type { Logger } from 'pino';
import { indexDevices, type DeviceIndex } from '../../engine/index.js';
import type { KubeRest } from '../kube/rest.js';
import { Informer, type KubeObject } from './informer.js';

/** DRA's API, GA in Kubernetes 1.34. */
export const DRA_API = '/apis/resource.k8s.io/v1';

/** The DRA kinds oos reads, by the field of the engine's `DeviceObjects` they fill. */
const KINDS = {
  claims: { name: 'ResourceClaim', plural: 'resourceclaims' },
  claimTemplates: { name: 'ResourceClaimTemplate', plural: 'resourceclaimtemplates' },
  deviceClasses: { name: 'DeviceClass', plural: 'deviceclasses' },
} as const;

type Field = keyof typeof KINDS;

export interface DeviceClaimsOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly onChange: () => void;
  readonly onWatchRestart?: (kind: string, cause: string) => void;
  /** Relist interval while the apiserver does not serve DRA (tests shorten it). */
  readonly absentRetryMs?: number;
}

/**
 * List + watch of the Dynamic Resource Allocation objects (ResourceClaims, ResourceClaimTemplates,
 * DeviceClasses), so the engine can tell, without an API call on the admission path, which
 * devices a pod's `resourceClaims` ask for. On an apiserver without `resource.k8s.io/v1` every
 * kind is empty and synced (a pod naming a claim then fails closed: oos cannot tell what it asks).
 */
export class DeviceClaims {
  readonly informers: readonly Informer<KubeObject>[];
  private readonly byField: Record<Field, Informer<KubeObject>>;

  constructor(options: DeviceClaimsOptions) {
    this.byField = Object.fromEntries(
      Object.entries(KINDS).map(([field, kind]) => [
        field,
        new Informer<KubeObject>({
          name: kind.name,
          path: `${DRA_API}/${kind.plural}`,
          rest: options.rest,
          logger: options.logger,
          optional: true,
          ...(options.absentRetryMs === undefined ? {} : { absentRetryMs: options.absentRetryMs }),
          onChange: options.onChange,
          onRestart: (cause) => options.onWatchRestart?.(kind.name, cause),
        }),
      ]),
    ) as Record<Field, Informer<KubeObject>>;
    this.informers = Object.values(this.byField);
  }

  /** The engine's index of what the informers hold now. */
  index(): DeviceIndex {
    return indexDevices({
      claims: this.byField.claims.items(),
      claimTemplates: this.byField.claimTemplates.items(),
      deviceClasses: this.byField.deviceClasses.items(),
    });
  }
}
