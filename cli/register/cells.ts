import type { CapabilityRow, HolderRow } from '../../engine/register/index.js';
import { formatInstant, formatRemaining } from './format.js';
import { html, type Html, type Interpolation } from './html.js';

/** A link when there is one, else the text. */
export function linkTo(href: string | undefined, text: Interpolation): Html {
  return href === undefined ? html`${text}` : html`<a href="${href}">${text}</a>`;
}

/** `Kind namespace/name`. */
export function objectName(ref: {
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name: string;
}): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** Who stamped something, or a dash when nobody is recorded. */
export function person(user: string | undefined): Html {
  return user === undefined ? html`<span class="muted">—</span>` : html`${user}`;
}

/** An instant and the time left until it. */
export function until(rfc3339: string | undefined, remainingMs: number): Html {
  if (rfc3339 === undefined) return html`<span class="bad">unreadable</span>`;
  const left = formatRemaining(remainingMs);
  const urgent = remainingMs <= 7 * 86_400_000;
  return html`${formatInstant(rfc3339)}
    <span class="${urgent ? 'warn' : 'muted'}"
      >(${left === 'expired' ? left : `${left} left`})</span
    >`;
}

function holder(row: HolderRow): Html {
  return row.current
    ? html`<li>
        ${row.name} (<span class="user">${row.user}</span>), attested until
        ${until(row.attestedUntil, row.remainingMs)}
      </li>`
    : html`<li class="muted">
        ${row.name} (<span class="user">${row.user}</span>), attestation lapsed
      </li>`;
}

/** The holders of a capability's role, or why nobody answers for it. */
export function holders(row: CapabilityRow): Html {
  if (row.roleTitle === undefined) {
    return html`<span class="bad">Role ${row.role} does not exist</span>`;
  }
  const list = html`<ul class="people">
    ${row.holders.map(holder)}
  </ul>`;
  return row.vacant ? html`<span class="bad">Vacant</span>${list}` : list;
}

/** Autonomy × risk tier, High in the alarm colour. */
export function autonomyRisk(row: CapabilityRow): Html {
  return row.riskTier === 'High'
    ? html`${row.autonomy} × <span class="bad">${row.riskTier}</span>`
    : html`${row.autonomy} × ${row.riskTier}`;
}

/** Whether the capability's workloads are admitted now and, if not, why (its Ready condition). */
export function capabilityState(row: CapabilityRow): Html {
  if (row.ready) return html`<span class="ok">Admitted</span>`;
  return html`<span class="bad">${row.readyReason}</span>
    <span class="muted">${row.readyMessage}</span>`;
}
