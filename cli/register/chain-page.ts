import type { ChainView, FindingRow } from '../../engine/register/index.js';
import { autonomyRisk, capabilityState, holders, objectName } from './cells.js';
import { interactionsBody } from './graph.js';
import { html, type Html } from './html.js';
import { layout, table } from './layout.js';
import { SERVED_LINKS } from './links.js';
import { delegationsTable, escalationsTable, exemptionsTable, REGISTER_TITLE } from './page.js';

function workloadRow(row: FindingRow): Html {
  const { workload } = row;
  return html`<tr>
    <th scope="row">
      <a href="${SERVED_LINKS.workload(workload) ?? ''}">${workload.kind} ${workload.name}</a>
    </th>
    <td><span class="${row.anchored ? 'ok' : 'bad'}">${row.reason}</span></td>
    <td>${row.message}</td>
  </tr>`;
}

/** The decision as admission would make it now, for a workload chain. */
function decision(view: ChainView): Html {
  const { workload } = view;
  if (workload === undefined) return html``;
  return html`<dt>Workload</dt>
    <dd>${objectName(workload.workload)}</dd>
    <dt>Decision now</dt>
    <dd>
      <span class="${workload.anchored ? 'ok' : 'bad'}">${workload.reason}</span>:
      ${workload.message}
    </dd>
    <dt>Capability label</dt>
    <dd>${workload.capability ?? html`<span class="bad">none</span>`}</dd>`;
}

function capability(view: ChainView): Html {
  const row = view.capability;
  if (row === undefined) {
    return view.workload?.capability === undefined
      ? html``
      : html`<dt>Capability</dt>
          <dd>
            <span class="bad"
              >${view.workload.capability} does not exist in ${view.ref.namespace}</span
            >
          </dd>`;
  }
  return html`<dt>Capability</dt>
    <dd>
      <a href="${SERVED_LINKS.capability(row.namespace, row.name) ?? ''}"
        >${row.namespace}/${row.name}</a
      >: ${row.description}
    </dd>
    <dt>Autonomy × risk tier</dt>
    <dd>${autonomyRisk(row)}</dd>
    <dt>Admission now</dt>
    <dd>${capabilityState(row)}</dd>
    <dt>Accountable role</dt>
    <dd>${row.roleTitle ?? row.role} <span class="muted">(${row.role})</span></dd>
    <dt>People</dt>
    <dd>${holders(row)}</dd>`;
}

/** The chain view of one workload or capability, served at `/chain/<ns>/<kind>/<name>`. */
export function renderChainPage(view: ChainView, at: string): string {
  const body = html`<p><a href="/">Back to the register</a></p>
    <section aria-labelledby="chain">
      <h2 id="chain">The chain</h2>
      <dl class="chain">${decision(view)}${capability(view)}</dl>
    </section>
    <section aria-labelledby="interactions">
      <h2 id="interactions">Interactions</h2>
      ${interactionsBody(view.interactions, SERVED_LINKS)}
    </section>
    <section aria-labelledby="delegations">
      <h2 id="delegations">Delegations</h2>
      ${delegationsTable(view.delegations, SERVED_LINKS)}
    </section>
    <section aria-labelledby="escalations">
      <h2 id="escalations">Open escalations</h2>
      ${escalationsTable(view.escalations, SERVED_LINKS)}
    </section>
    <section aria-labelledby="exemptions">
      <h2 id="exemptions">Exemptions in effect</h2>
      ${exemptionsTable(view.exemptions, SERVED_LINKS)}
    </section>
    <section aria-labelledby="workloads">
      <h2 id="workloads">Running workloads of the capability</h2>
      ${table(
        'Every running AI workload labelled with the capability, as admission would judge it now.',
        ['Workload', 'Decision', 'Why'],
        view.workloads.map(workloadRow),
        'No running workload carries this capability.',
      )}
    </section>`;
  return layout({
    title: `Chain of ${objectName(view.ref)}`,
    subtitle: html`${REGISTER_TITLE}, as of ${at}.`,
    body,
  }).text;
}
