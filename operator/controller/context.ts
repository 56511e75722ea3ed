import type { Escalation } from '../../api/index.js';
import type { Cause, Finding } from '../../engine/escalation/index.js';
import type { GovernanceObjects, GovernanceSnapshot } from '../../engine/index.js';
import type { WorkloadCount } from '../../engine/status/index.js';
import type { InvalidObject } from '../cache/schema-gate.js';

/** What one plan of the controller saw: the inputs every reconcile of that round reads. */
export interface PlanContext {
  readonly snapshot: GovernanceSnapshot;
  readonly objects: GovernanceObjects;
  readonly findings: readonly Finding[];
  /** Workloads running and anchored, by `namespace/capability`. */
  readonly counts: ReadonlyMap<string, WorkloadCount>;
  /** Causes of escalation, by `namespace/key`. */
  readonly causes: ReadonlyMap<string, Cause>;
  /** Managed Escalations, by `namespace/key`. */
  readonly episodes: ReadonlyMap<string, readonly Escalation[]>;
  /** Objects of the oos kinds their schema refuses, by `Kind/namespace/name`. */
  readonly invalid: ReadonlyMap<string, InvalidObject>;
  readonly at: Date;
}
