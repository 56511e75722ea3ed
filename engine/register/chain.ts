import { findingRowsOf, type RegisterInput } from './build.js';
import { graphAround } from './filter.js';
import { CAPABILITY_KIND, type ChainRef } from './links.js';
import type {
  CapabilityRow,
  DelegationRow,
  EscalationRow,
  ExemptionRow,
  FindingRow,
  GraphRows,
  Register,
} from './rows.js';

/**
 * The chain of one workload or capability: the workload as the audit judged it (the engine's
 * decision as admission would make it now), its capability and who answers for it, the
 * delegations, open escalations and active exemptions of that capability, and every running
 * workload labelled with it.
 */
export interface ChainView {
  readonly ref: ChainRef;
  /** The workload's own finding (a workload chain only). */
  readonly workload: FindingRow | undefined;
  /** The capability; undefined when the workload names none or one that does not exist. */
  readonly capability: CapabilityRow | undefined;
  readonly delegations: readonly DelegationRow[];
  readonly escalations: readonly EscalationRow[];
  readonly exemptions: readonly ExemptionRow[];
  /** Running AI workloads labelled with the capability, anchored or not. */
  readonly workloads: readonly FindingRow[];
  /** The capability's edges (either end) and the nodes they join. */
  readonly interactions: GraphRows;
}

function sameObject(
  a: { readonly namespace?: string | undefined; readonly kind: string; readonly name: string },
  ref: ChainRef,
): boolean {
  return a.namespace === ref.namespace && a.kind === ref.kind && a.name === ref.name;
}

/**
 * The chain view of `ref`, computed from the register and the audit's findings; undefined when
 * no such capability exists, or no running AI workload of that name was audited.
 */
export function chainView(
  input: RegisterInput,
  register: Register,
  ref: ChainRef,
): ChainView | undefined {
  const { namespace } = ref;
  let workload: FindingRow | undefined;
  let capabilityName: string | undefined;
  if (ref.kind === CAPABILITY_KIND) {
    capabilityName = ref.name;
  } else {
    const finding = input.findings.find((candidate) => sameObject(candidate.workload, ref));
    if (finding === undefined) return undefined;
    [workload] = findingRowsOf(input.snapshot, input.now, [finding]);
    capabilityName = finding.capability;
  }
  const capability = register.capabilities.find(
    (row) => row.namespace === namespace && row.name === capabilityName,
  );
  if (ref.kind === CAPABILITY_KIND && capability === undefined) return undefined;
  const ofCapability = (row: { readonly namespace: string; readonly capability?: string }) =>
    capabilityName !== undefined &&
    row.namespace === namespace &&
    row.capability === capabilityName;
  const key = capabilityName === undefined ? undefined : `${namespace}/${capabilityName}`;
  return {
    ref,
    workload,
    capability,
    interactions: graphAround(register.interactions, new Set(key === undefined ? [] : [key]), 0),
    delegations: register.delegations.filter(ofCapability),
    escalations: register.escalations.filter(
      (row) => ofCapability(row) || sameObject(row.subject, ref),
    ),
    exemptions: register.exemptions.filter(
      (row) =>
        capabilityName !== undefined &&
        row.target === namespace &&
        row.capability === capabilityName,
    ),
    workloads:
      capabilityName === undefined
        ? []
        : findingRowsOf(
            input.snapshot,
            input.now,
            input.findings.filter(
              (finding) =>
                finding.workload.namespace === namespace && finding.capability === capabilityName,
            ),
          ),
  };
}
