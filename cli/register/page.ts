import {
  isFiltered,
  type CapabilityRow,
  type DelegationRow,
  type EscalationRow,
  type ExemptionRow,
  type FindingRow,
  type Register,
  type RegisterFilter,
} from '../../engine/register/index.js';
import {
  autonomyRisk,
  capabilityState,
  holders,
  linkTo,
  objectName,
  person,
  until,
} from './cells.js';
import { count } from './format.js';
import { interactionsBody } from './graph.js';
import { html, type Html } from './html.js';
import { layout, table } from './layout.js';
import { capabilityAnchor, type Links } from './links.js';

/** What the page is rendered from besides the register. */
export interface PageContext {
  readonly filter: RegisterFilter;
  readonly links: Links;
  /** What could not be read (RBAC refused a kind, …): the page says it is partial. */
  readonly warnings: readonly string[];
}

export const REGISTER_TITLE = 'Accountability register';

function capabilityRow(row: CapabilityRow, links: Links): Html {
  return html`<tr id="${capabilityAnchor(row.namespace, row.name)}">
    <th scope="row">${linkTo(links.capability(row.namespace, row.name), row.name)}</th>
    <td>${row.namespace}</td>
    <td>${row.roleTitle ?? row.role}<br /><span class="muted">${row.role}</span></td>
    <td>${holders(row)}</td>
    <td>${autonomyRisk(row)}</td>
    <td>${capabilityState(row)}</td>
    <td>${row.activeDelegations}</td>
    <td>${row.openEscalations}</td>
    <td>${row.anchored} of ${row.running}</td>
  </tr>`;
}

function delegationRow(row: DelegationRow, links: Links): Html {
  return html`<tr>
    <th scope="row">${row.name}</th>
    <td>${row.namespace}</td>
    <td>${linkTo(links.capability(row.namespace, row.capability), row.capability)}</td>
    <td>${row.serviceAccount}</td>
    <td>${person(row.grantedBy)}</td>
    <td>
      ${row.state === 'NotYetValid' ? html`<span class="warn">Not yet valid</span>` : 'Active'}
    </td>
    <td>${until(row.validUntil, row.remainingMs)}</td>
  </tr>`;
}

/** An escalation's subject: a workload links to its chain, an oos object to its capability. */
function subject(row: EscalationRow, links: Links): Html {
  const { subject: ref } = row;
  const href = ref.apiVersion.startsWith('oos.dev/')
    ? row.capability === undefined
      ? undefined
      : links.capability(row.namespace, row.capability)
    : links.workload({ namespace: ref.namespace ?? row.namespace, kind: ref.kind, name: ref.name });
  return linkTo(href, objectName(ref));
}

function escalationRow(row: EscalationRow, links: Links): Html {
  const severity = row.severity === 'Critical' ? 'bad' : row.severity === 'Warning' ? 'warn' : '';
  return html`<tr>
    <th scope="row">${row.name}</th>
    <td>${row.namespace}</td>
    <td>${row.trigger}</td>
    <td><span class="${severity}">${row.severity}</span></td>
    <td>${subject(row, links)}</td>
    <td>${row.level === 0 ? html`<span class="muted">none yet</span>` : row.level}</td>
    <td>
      ${row.acknowledged ? person(row.acknowledgedBy) : html`<span class="warn">not acknowledged</span>`}
    </td>
    <td>${row.summary}</td>
  </tr>`;
}

function exemptionRow(row: ExemptionRow, links: Links): Html {
  return html`<tr>
    <th scope="row">${row.name}</th>
    <td>
      ${row.namespace}${row.target === row.namespace ? '' : html` <span class="muted">(covers ${row.target})</span>`}
    </td>
    <td>
      ${row.capability === undefined ? html`<span class="muted">—</span>` : linkTo(links.capability(row.target, row.capability), row.capability)}
    </td>
    <td>${person(row.requestedBy)}</td>
    <td>${person(row.approvedBy)}</td>
    <td>${until(row.expiresAt, row.remainingMs)}</td>
    <td>${row.justification}</td>
  </tr>`;
}

function findingRow(row: FindingRow, links: Links): Html {
  const { workload } = row;
  return html`<tr>
    <th scope="row">${linkTo(links.workload(workload), `${workload.kind} ${workload.name}`)}</th>
    <td>${row.namespace}</td>
    <td><span class="bad">${row.reason}</span></td>
    <td>${row.capability ?? html`<span class="muted">none</span>`}</td>
    <td>${row.message}</td>
  </tr>`;
}

/** The delegations table (the register's and a chain view's). */
export function delegationsTable(rows: readonly DelegationRow[], links: Links): Html {
  return table(
    'Execution delegated to ServiceAccounts, by whom and until when.',
    [
      'Delegation',
      'Namespace',
      'Capability',
      'ServiceAccount',
      'Granted by',
      'State',
      'Valid until',
    ],
    rows.map((row) => delegationRow(row, links)),
    'No active delegation matches.',
  );
}

/** The open escalations table. */
export function escalationsTable(rows: readonly EscalationRow[], links: Links): Html {
  return table(
    'Escalations not yet resolved, the level they reached and who acknowledged them.',
    [
      'Escalation',
      'Namespace',
      'Trigger',
      'Severity',
      'Subject',
      'Level',
      'Acknowledged by',
      'Summary',
    ],
    rows.map((row) => escalationRow(row, links)),
    'No open escalation matches.',
  );
}

/** The exemptions in effect table. */
export function exemptionsTable(rows: readonly ExemptionRow[], links: Links): Html {
  return table(
    'Approved, unexpired break-glass exemptions, who asked and who approved.',
    [
      'Exemption',
      'Namespace',
      'Capability',
      'Requested by',
      'Approved by',
      'Expires',
      'Justification',
    ],
    rows.map((row) => exemptionRow(row, links)),
    'No exemption in effect matches.',
  );
}

/** The choices of one filter; a value asked for that no row has is kept, so the form stays true. */
function options(values: readonly string[], selected: string | undefined, all: string): Html {
  const choices =
    selected === undefined || values.includes(selected) ? values : [selected, ...values];
  return html`<option value="">${all}</option>
    ${choices.map(
      (value) =>
        html`<option value="${value}" ${value === selected ? html` selected` : ''}>
          ${value}
        </option>`,
    )}`;
}

/** The filters: a GET form when served (works without script), a sentence in a static file. */
function filters(register: Register, context: PageContext): Html {
  const { filter } = context;
  if (!context.links.served) {
    if (!isFiltered(filter)) return html``;
    return html`<p>
      Filtered by
      ${[
        filter.namespace === undefined ? '' : `namespace ${filter.namespace}; `,
        filter.role === undefined ? '' : `role ${filter.role}; `,
        filter.person === undefined ? '' : `person ${filter.person}; `,
      ]}
    </p>`;
  }
  const { facets } = register;
  return html`<form
    class="filters"
    method="get"
    action="/"
    role="search"
    aria-label="Filter the register"
  >
    <label for="filter-namespace"
      >Namespace
      <select id="filter-namespace" name="namespace">
        ${options(facets.namespaces, filter.namespace, 'All namespaces')}
      </select></label
    >
    <label for="filter-role"
      >Accountable role
      <select id="filter-role" name="role">
        ${options(facets.roles, filter.role, 'All roles')}
      </select></label
    >
    <label for="filter-person"
      >Person
      <select id="filter-person" name="person">
        ${options(facets.people, filter.person, 'Everybody')}
      </select></label
    >
    <button type="submit">Filter</button>
    <a href="/">Clear filters</a>
  </form>`;
}

function interactionCounts(register: Register): string {
  const { edges } = register.interactions;
  const agreed = edges.filter((edge) => edge.state === 'Agreed').length;
  const forbidden = edges.filter((edge) => edge.state === 'Forbidden').length;
  return `${count(edges.length, 'interaction')} (${String(agreed)} agreed, ${String(forbidden)} forbidden)`;
}

function counts(register: Register): string {
  const vacant = register.capabilities.filter((row) => row.vacant).length;
  const suspended = register.capabilities.filter((row) => row.suspended).length;
  return [
    `${count(register.capabilities.length, 'capability', 'capabilities')} (${String(vacant)} vacant, ${String(suspended)} suspended)`,
    interactionCounts(register),
    count(register.delegations.length, 'delegation'),
    count(register.escalations.length, 'open escalation'),
    count(register.exemptions.length, 'exemption in effect', 'exemptions in effect'),
    count(register.findings.length, 'unanchored workload'),
  ].join(', ');
}

function section(id: string, title: string, body: Html): Html {
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${body}
  </section>`;
}

/** The register page: every table, the filters, the warnings of a partial read. */
export function renderRegisterPage(register: Register, context: PageContext): string {
  const { links } = context;
  const warnings =
    context.warnings.length === 0
      ? ''
      : html`<div class="notice" role="status">
          <p>This register is partial:</p>
          <ul>
            ${context.warnings.map((warning) => html`<li>${warning}</li>`)}
          </ul>
        </div>`;
  const body = html`${warnings} ${filters(register, context)}
    <p>${counts(register)}.</p>
    ${section(
      'capabilities',
      'Capabilities and who answers for them',
      table(
        'Every capability, its accountable role and the people who hold it now, with their attestation.',
        [
          'Capability',
          'Namespace',
          'Accountable role',
          'People',
          'Autonomy × risk tier',
          'Admission now',
          'Active delegations',
          'Open escalations',
          'Anchored workloads',
        ],
        register.capabilities.map((row) => capabilityRow(row, links)),
        'No capability matches.',
      ),
    )}
    ${section(
      'interactions',
      'Interactions between capabilities',
      interactionsBody(register.interactions, links),
    )}
    ${section('delegations', 'Delegations', delegationsTable(register.delegations, links))}
    ${section('escalations', 'Open escalations', escalationsTable(register.escalations, links))}
    ${section('exemptions', 'Exemptions in effect', exemptionsTable(register.exemptions, links))}
    ${section(
      'unanchored',
      'Unanchored workloads',
      table(
        'Running AI workloads the audit found without a complete chain, as admission would judge them now.',
        ['Workload', 'Namespace', 'Reason', 'Capability', 'What is missing'],
        register.findings.map((row) => findingRow(row, links)),
        'No unanchored workload matches.',
      ),
    )}`;
  return layout({
    title: REGISTER_TITLE,
    subtitle: `Who answers for the AI of this cluster, as of ${register.at}.`,
    body,
  }).text;
}
