import type {
  Autonomy,
  DelegationState,
  EscalationTrigger,
  InteractionState,
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
  /** The interaction graph between capabilities, and to the outside. */
  readonly interactions: GraphRows;
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

/**
 * A node of the interaction graph: a capability, a capability named by an edge but not found,
 * or a destination outside the cluster (a catalogue endpoint, or address ranges).
 */
export interface GraphNodeRow extends Filterable {
  // Filterable: a capability's namespace, role and current holders; '' and none for the outside.
  /** Unique in the graph: `namespace/name` of a capability, `endpoint:<name>` or `cidrs:<cidrs>`. */
  readonly key: string;
  readonly kind: 'Capability' | 'Missing' | 'External';
  /** The capability's or endpoint's name, or the address ranges. */
  readonly name: string;
  /** Outside the cluster: a destination of egress (drawn in a column of its own). */
  readonly outside: boolean;
  /** A capability's risk tier and autonomy; undefined for the other kinds. */
  readonly riskTier: RiskTier | undefined;
  readonly autonomy: Autonomy | undefined;
  /** One line about the node: a capability's role and posture, an endpoint's description. */
  readonly detail: string;
}

/** An edge of the interaction graph: a call between capabilities, or an egress. */
export interface GraphEdgeRow {
  /** Node keys. */
  readonly from: string;
  readonly to: string;
  readonly kind: 'Call' | 'Egress';
  /**
   * Agreed, Forbidden, PeerNotFound, or pending: WaitingForPeer (one side declares it) or
   * PortsNotAccepted (the callee accepts other ports).
   */
  readonly state: InteractionState;
  /** `8080/TCP, 9090/TCP`: the ports the caller declares (or the endpoint's). */
  readonly ports: string;
  /** A pending edge: the capability (`namespace/name`) whose side is missing. */
  readonly waitingFor: string | undefined;
  /** A pending edge: that capability's accountable role, which must answer (add its side). */
  readonly mustAnswer: string | undefined;
  /** What is missing and who must act, or why it is forbidden. */
  readonly message: string;
}

/** The interaction graph: which capabilities call which, and where they reach outside. */
export interface GraphRows {
  readonly nodes: readonly GraphNodeRow[];
  readonly edges: readonly GraphEdgeRow[];
  /** Capabilities (of the rows) that declare no interaction and that none names: not drawn. */
  readonly withoutInteractions: number;
}
