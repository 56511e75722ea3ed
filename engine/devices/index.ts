import { arrayAt, at, isRecord, numberAt, stringAt } from '../json.js';

/**
 * Dynamic Resource Allocation (`resource.k8s.io/v1`): what a Pod's `spec.resourceClaims[]` asks
 * for. A claim entry names a ResourceClaim or a ResourceClaimTemplate; their device requests name
 * DeviceClasses (`exactly.deviceClassName`, `firstAvailable[].deviceClassName`), whose CEL
 * selectors name DRA drivers (`device.driver == "gpu.nvidia.com"`). The informer cache (or
 * `oos check`, from the manifests) hands the raw objects over; the engine indexes them once.
 */

/** The raw DRA objects (Kubernetes JSON, read leniently: anything may be missing). */
export interface DeviceObjects {
  readonly claims?: readonly unknown[];
  readonly claimTemplates?: readonly unknown[];
  readonly deviceClasses?: readonly unknown[];
}

/** One way a request can be satisfied: `exactly`, or one of `firstAvailable`. */
export interface DeviceAlternative {
  readonly deviceClass: string | undefined;
  /** String literals of the request's own CEL selectors (driver and attribute names). */
  readonly literals: readonly string[];
  /** Devices it allocates: `count` (1 by default); Infinity for `allocationMode: All`. */
  readonly count: number;
}

/** One entry of `spec.devices.requests[]`. */
export interface DeviceRequest {
  readonly name: string;
  readonly alternatives: readonly DeviceAlternative[];
}

export interface IndexedDeviceClass {
  readonly name: string;
  /** String literals of its CEL selectors: the drivers (and attribute domains) it selects. */
  readonly literals: readonly string[];
  /** A class without selectors selects every device of every driver. */
  readonly selectsAll: boolean;
}

/** The DRA objects, indexed: claims and templates by `namespace/name`, classes by name. */
export interface DeviceIndex {
  readonly claims: ReadonlyMap<string, readonly DeviceRequest[]>;
  readonly claimTemplates: ReadonlyMap<string, readonly DeviceRequest[]>;
  readonly deviceClasses: ReadonlyMap<string, IndexedDeviceClass>;
}

/** No DRA object known: every claim a pod names is unknown, and counts as an accelerator. */
export const NO_DEVICES: DeviceIndex = Object.freeze({
  claims: new Map(),
  claimTemplates: new Map(),
  deviceClasses: new Map(),
});

const LITERAL = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;

/** The string literals of CEL expressions: `device.driver == "gpu.nvidia.com"` gives the driver. */
export function celLiterals(selectors: readonly unknown[]): string[] {
  const literals: string[] = [];
  for (const selector of selectors) {
    const expression = stringAt(selector, 'cel', 'expression');
    if (expression === undefined) continue;
    for (const match of expression.matchAll(LITERAL)) {
      const literal = match[1] ?? match[2];
      if (literal !== undefined) literals.push(literal);
    }
  }
  return literals;
}

function readAlternative(value: unknown): DeviceAlternative {
  const all = stringAt(value, 'allocationMode') === 'All';
  const count = numberAt(value, 'count');
  return {
    deviceClass: stringAt(value, 'deviceClassName'),
    literals: celLiterals(arrayAt(value, 'selectors')),
    count: all ? Infinity : count !== undefined && count > 0 ? Math.ceil(count) : 1,
  };
}

/** `spec.devices.requests[]` of a claim spec (v1; the v1beta1 shape with the class on the request too). */
export function readDeviceRequests(claimSpec: unknown): DeviceRequest[] {
  return arrayAt(claimSpec, 'devices', 'requests').map((request, index) => {
    const alternatives: DeviceAlternative[] = [];
    const exactly = at(request, 'exactly');
    if (isRecord(exactly)) alternatives.push(readAlternative(exactly));
    for (const sub of arrayAt(request, 'firstAvailable')) alternatives.push(readAlternative(sub));
    if (alternatives.length === 0) alternatives.push(readAlternative(request));
    return { name: stringAt(request, 'name') ?? `requests[${String(index)}]`, alternatives };
  });
}

function key(object: unknown): string {
  return `${stringAt(object, 'metadata', 'namespace') ?? ''}/${stringAt(object, 'metadata', 'name') ?? ''}`;
}

/** Indexes the DRA objects. Pure; objects without a name are skipped. */
export function indexDevices(objects: DeviceObjects): DeviceIndex {
  const named = (list: readonly unknown[] | undefined) =>
    (list ?? []).filter((o) => stringAt(o, 'metadata', 'name') !== undefined);
  return {
    claims: new Map(
      named(objects.claims).map((c) => [key(c), readDeviceRequests(at(c, 'spec'))] as const),
    ),
    claimTemplates: new Map(
      named(objects.claimTemplates).map(
        (t) => [key(t), readDeviceRequests(at(t, 'spec', 'spec'))] as const,
      ),
    ),
    deviceClasses: new Map(
      named(objects.deviceClasses).map((c) => {
        const name = stringAt(c, 'metadata', 'name') ?? '';
        const selectors = arrayAt(c, 'spec', 'selectors');
        return [
          name,
          { name, literals: celLiterals(selectors), selectsAll: selectors.length === 0 },
        ];
      }),
    ),
  };
}
