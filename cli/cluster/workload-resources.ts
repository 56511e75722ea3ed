import { WORKLOAD_TYPES } from '../../api/workload-types.js';
import { workloadResource, type Resource } from '../../operator/controller/paths.js';

/** A workload kind the CLI reads; an AI custom kind may simply not be installed. */
export interface WorkloadResource extends Resource {
  /** True for the AI custom kinds: a cluster that does not serve one has none of them. */
  readonly optional: boolean;
}

/** Every kind of the workload-type table (api/workload-types.ts), as the CLI reads it. */
export const WORKLOAD_RESOURCES: readonly WorkloadResource[] = WORKLOAD_TYPES.map((type) => ({
  ...workloadResource(type),
  optional: type.origin !== 'BuiltIn',
}));
