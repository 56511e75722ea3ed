import type {
  Autonomy,
  DelegationState,
  EscalationTrigger,
  ObjectReference,
  RiskTier,
  Severity,
} from '../../api/index.js';
import type { ReasonCode } from '../reasons.js';

/**
 * The accountability register: who answers for each AI capability of the cluster at one instant,
 * as rows a page (or a script) lists. Every row names the roles it concerns (`roles`) and the
 * people connected to it (`people`: the current holders of those roles and the people stamped on
 * it), which is what the filters match.
 */
export interface Register {
  /** The instant the register was computed at (RFC 3339). */
  readonly at: string;
  readonly capabilities: readonly CapabilityRow[];
  readonly delegations: readonly DelegationRow[];
  readonly escalations: readonly EscalationRow[];
  readonly exemptions: readonly ExemptionRow[];
  readonly findings: readonly FindingRow[];
  /** The values the filters can take, sorted: namespaces, roles and people that appear. */
  readonly facets: Facets;
}

export interface Facets {
  readonly namespaces: readonly string[];
  readonly roles: readonly string[];
  readonly people: readonly string[];
}

/** What every row carries for the filters. */
export interface Filterable {
  readonly namespace: string;
  readonly roles: readonly string[];
  readonly people: readonly string[];
}

/** A holder of an AccountableRole and their attestation. */
export interface HolderRow {
  readonly user: string;
  readonly name: string;
  /** `attestedUntil` as RFC 3339, or undefined when unreadable. */
  readonly attestedUntil: string | undefined;
  readonly current: boolean;
  /** Milliseconds of attestation left (<= 0 when lapsed). */
  readonly remainingMs: number;
}

export interface CapabilityRow extends Filterable {
  readonly name: string;
  readonly description: string;
  readonly role: string;
  /** The role's title; undefined when the role does not exist. */
  readonly roleTitle: string | undefined;
  /** Every holder of the role, current ones first (latest attestation first). */
  readonly holders: readonly HolderRow[];
  /** No current holder (or no role): nothing of the capability is admitted. */
  readonly vacant: boolean;
  readonly autonomy: Autonomy;
  readonly riskTier: RiskTier;
  readonly suspended: boolean;
  readonly suspendedBy: string | undefined;
  /**
   * Whether its workloads are admitted now (the Ready condition of its status, computed by the
   * engine as the controller does), the reason code and the one-sentence message.
   */
  readonly ready: boolean;
  readonly readyReason: string;
  readonly readyMessage: string;
  readonly activeDelegations: number;
  readonly openEscalations: number;
  /** Running AI workloads labelled with the capability, and how many of them are anchored. */
  readonly running: number;
  readonly anchored: number;
}

export interface DelegationRow extends Filterable {
  readonly name: string;
  readonly capability: string;
  readonly serviceAccount: string;
  readonly grantedBy: string | undefined;
  readonly validUntil: string;
  readonly state: DelegationState;
  /** Milliseconds until validUntil (<= 0 once expired). */
  readonly remainingMs: number;
}

export interface EscalationRow extends Filterable {
  readonly name: string;
  readonly trigger: EscalationTrigger;
  readonly severity: Severity;
  readonly subject: ObjectReference;
  readonly capability: string | undefined;
  readonly accountableRole: string | undefined;
  readonly summary: string;
  /** The highest level notified so far (0: none yet). */
  readonly level: number;
  readonly acknowledgedBy: string | undefined;
  readonly acknowledged: boolean;
}

export interface ExemptionRow extends Filterable {
  readonly name: string;
  /** The namespace whose workloads it covers. */
  readonly target: string;
  readonly capability: string | undefined;
  readonly justification: string;
  readonly requestedBy: string | undefined;
  readonly approvedBy: string | undefined;
  readonly expiresAt: string;
  readonly remainingMs: number;
}

export interface FindingRow extends Filterable {
  readonly workload: ObjectReference & { readonly namespace: string };
  readonly reason: ReasonCode;
  readonly message: string;
  readonly capability: string | undefined;
  readonly anchored: boolean;
}
