import type { RoundPlan } from '../../engine/plan/index.js';

/** What one round of the controller planned: the inputs every reconcile of that round reads. */
export type PlanContext = RoundPlan;
