import type {
  CapabilityReport,
  DelegationReport,
  EscalationReport,
  ExemptionReport,
  RoleReport,
  WhoReport,
} from './report.js';
import type { EdgeReport, EgressReport, InteractionsReport } from './interactions.js';
import type { MineReport } from './mine.js';

const PAD = 14;

function row(label: string, lines: readonly string[]): string {
  const [first = 'none', ...rest] = lines;
  return [`  ${label.padEnd(PAD)}${first}`, ...rest.map((l) => `  ${''.padEnd(PAD)}${l}`)]
    .map((l) => `${l}\n`)
    .join('');
}

export function capabilityLine(capability: CapabilityReport): string {
  const name = `${capability.namespace}/${capability.name}`;
  if (!capability.exists) return `${name} (does not exist)`;
  const stop = capability.suspended
    ? `SUSPENDED (${capability.stopAction ?? 'ScaleToZero'}${capability.suspendedBy === null ? '' : ` by ${capability.suspendedBy}`}${capability.suspendReason === null ? '' : `: ${capability.suspendReason}`})`
    : 'running';
  return `${name}  autonomy ${capability.autonomy ?? '?'}, risk tier ${capability.riskTier ?? '?'}, ${stop}`;
}

export function roleLines(role: RoleReport): string[] {
  if (!role.exists) return [`${role.name} (does not exist)`];
  const head = `${role.name}${role.title === null ? '' : ` "${role.title}"`}${role.vacant ? '  VACANT: no current holder' : ''}`;
  return [
    head,
    ...role.holders.map(
      (h) =>
        `- ${h.user} (${h.name} <${h.email}>) attested until ${h.attestedUntil}${h.current ? '' : '  LAPSED'}`,
    ),
  ];
}

export function delegationLine(d: DelegationReport): string {
  return `${d.namespace}/${d.name} -> ServiceAccount ${d.serviceAccount}, granted by ${d.grantedBy ?? '(not stamped)'}, until ${d.validUntil ?? '?'} (${d.state})`;
}

export function escalationLine(e: EscalationReport): string {
  const ack = e.acknowledged ? `acknowledged by ${e.acknowledgedBy ?? '?'}` : 'unacknowledged';
  return `${e.namespace}/${e.name}  ${e.trigger} ${e.severity}, level ${e.level}, ${ack}: ${e.summary}`;
}

export function exemptionLine(e: ExemptionReport): string {
  const people = `requested by ${e.requestedBy ?? '?'}${e.approvedBy === null ? '' : `, approved by ${e.approvedBy}`}`;
  return `${e.namespace}/${e.name}  ${e.state}${e.why === null ? '' : ` (${e.why})`}, ${people}, expires ${e.expiresAt ?? '?'}`;
}

function ports(list: readonly string[]): string {
  return list.length === 0 ? '' : ` on ${list.join(', ')}`;
}

/** `risk-ai/fraud-scoring on 8080/TCP  Agreed` or `… WaitingForPeer: <message>`. */
export function edgeLine(edge: EdgeReport): string {
  const head = `${edge.peer}${ports(edge.ports)}  ${edge.state}`;
  return edge.state === 'Agreed' ? head : `${head}: ${edge.message}`;
}

export function egressLine(egress: EgressReport): string {
  const where = egress.endpoint === null ? egress.cidrs.join(', ') : `endpoint ${egress.endpoint}`;
  const head = `${egress.name} (${where})${ports(egress.ports)}  ${egress.state}`;
  return egress.state === 'Agreed' ? head : `${head}: ${egress.message}`;
}

/** The rows of a capability's interactions; none when it has no capability. */
export function interactionRows(interactions: InteractionsReport | null): string {
  if (interactions === null) return '';
  return [
    row('posture', [
      interactions.posture === 'Closed'
        ? 'Closed (only DNS, agreed edges, declared clients and destinations)'
        : 'Open (not isolated; edges recorded and checked)',
    ]),
    row('calls', interactions.calls.map(edgeLine)),
    row('called by', interactions.calledBy.map(edgeLine)),
    row(
      'clients',
      interactions.clients.map(
        (client) => `${client.name} in namespace ${client.namespace}${ports(client.ports)}`,
      ),
    ),
    row('egress', interactions.egress.map(egressLine)),
  ].join('');
}

/** `oos who` for people: one block, the verdict first. */
export function formatWho(report: WhoReport): string {
  const { workload, decision } = report;
  const verdict = report.anchored ? 'ANCHORED' : 'NOT ANCHORED';
  const head = `${workload.kind} ${workload.namespace}/${workload.name}  ${verdict}\n`;
  const body = [
    row('capability', report.capability === null ? [] : [capabilityLine(report.capability)]),
    row('accountable', report.accountableRole === null ? [] : roleLines(report.accountableRole)),
    row(
      'runs as',
      report.serviceAccounts.map((sa) => `ServiceAccount ${sa}`),
    ),
    row('delegation', report.delegations.map(delegationLine)),
    row('escalations', report.escalations.map(escalationLine)),
    row('exemptions', report.exemptions.map(exemptionLine)),
    interactionRows(report.interactions),
    row('admission', [
      `${decision.allowed ? 'allow' : 'deny'} (${decision.mode}) ${decision.reason}: ${decision.message}`,
    ]),
  ].join('');
  const warnings = report.warnings.map((w) => `warning: ${w}\n`).join('');
  return head + body + warnings;
}

/** `oos mine` for people. */
export function formatMine(report: MineReport): string {
  const head = `${report.user} is accountable for\n`;
  const body = [
    row(
      'roles',
      report.roles.map(
        (r) =>
          `${r.name} "${r.title}", attested until ${r.attestedUntil ?? 'never'}${r.current ? '' : '  LAPSED'}`,
      ),
    ),
    row(
      'capabilities',
      report.capabilities.map((c) => `${capabilityLine(c)} (role ${c.accountableRole})`),
    ),
    row('delegated', report.delegationsGranted.map(delegationLine)),
    row(
      'escalations',
      report.escalations.map((e) => `${escalationLine(e)} [${e.why}]`),
    ),
    row('to approve', report.exemptionsAwaitingApproval.map(exemptionLine)),
    row('approved', report.exemptionsApproved.map(exemptionLine)),
    row(
      'to answer',
      report.interactionsToAnswer.map(
        (edge) =>
          `${edge.caller} -> ${edge.callee}${ports(edge.ports)}  ${edge.state} (${edge.mustAnswer ?? '?'} for ${edge.waitingFor ?? '?'}): ${edge.message}`,
      ),
    ),
  ].join('');
  return head + body + report.warnings.map((w) => `warning: ${w}\n`).join('');
}
