import { describe, expect, it } from 'vitest';
import {
  buildRegister,
  capabilityRef,
  chainView,
  filterRegister,
  type GraphRows,
  type Register,
} from '../../engine/register/index.js';
import {
  capability,
  delegation,
  escalation,
  exemption,
  governance,
  NOW,
  OPERATOR_NAMESPACE,
} from '../../engine/testing/fixtures.js';
import { buildSnapshot } from '../../engine/snapshot.js';
import { renderChainPage } from './chain-page.js';
import { formatInstant, formatRemaining } from './format.js';
import { escapeHtml, html, raw } from './html.js';
import { SERVED_LINKS, STATIC_LINKS } from './links.js';
import { renderRegisterPage } from './page.js';

const objects = governance({
  escalations: [escalation('delegation-expired', {}, { level: 2 })],
  exemptions: [
    exemption('incident', {
      scope: { kinds: [{ group: 'batch', kind: 'Job' }], names: ['benchmark'] },
    }),
  ],
});
const input = {
  snapshot: buildSnapshot(objects, { operatorNamespace: OPERATOR_NAMESPACE }),
  objects,
  findings: [],
  now: NOW,
};
/** A drawn graph: an agreed call, a pending one, a forbidden one and an egress. */
const person = { roles: ['model-risk-officer'], people: ['alice'] };
const GRAPH: GraphRows = {
  nodes: [
    {
      ...{ namespace: '', roles: [], people: [] },
      key: 'endpoint:model-provider',
      kind: 'External',
      name: 'model-provider',
      outside: true,
      riskTier: undefined,
      autonomy: undefined,
      detail: 'An outside model provider.',
    },
    {
      ...person,
      namespace: 'ml',
      key: 'ml/chat-assistant',
      kind: 'Capability',
      name: 'chat-assistant',
      outside: false,
      riskTier: 'Limited',
      autonomy: 'Supervised',
      detail: 'answered for by model-risk-officer, posture Open',
    },
    {
      ...person,
      namespace: 'ml',
      key: 'ml/forecasting',
      kind: 'Capability',
      name: 'forecasting',
      outside: false,
      riskTier: 'Minimal',
      autonomy: 'Autonomous',
      detail: 'answered for by model-risk-officer, posture Closed',
    },
    {
      namespace: 'risk',
      roles: ['fraud-lead'],
      people: ['erin'],
      key: 'risk/fraud',
      kind: 'Capability',
      name: 'fraud',
      outside: false,
      riskTier: 'High',
      autonomy: 'Supervised',
      detail: 'answered for by fraud-lead, posture Open',
    },
  ],
  edges: [
    {
      from: 'ml/chat-assistant',
      to: 'risk/fraud',
      kind: 'Call',
      state: 'Agreed',
      ports: '8080/TCP',
      waitingFor: undefined,
      mustAnswer: undefined,
      message: 'agreed by both sides on 8080/TCP',
    },
    {
      from: 'ml/forecasting',
      to: 'ml/chat-assistant',
      kind: 'Call',
      state: 'WaitingForPeer',
      ports: '8080/TCP',
      waitingFor: 'ml/chat-assistant',
      mustAnswer: 'model-risk-officer',
      message: 'ml/forecasting calls ml/chat-assistant, which does not accept it',
    },
    {
      from: 'ml/forecasting',
      to: 'risk/fraud',
      kind: 'Call',
      state: 'Forbidden',
      ports: '8080/TCP',
      waitingFor: undefined,
      mustAnswer: undefined,
      message: 'forbidden by the rule autonomous-to-high',
    },
    {
      from: 'risk/fraud',
      to: 'endpoint:model-provider',
      kind: 'Egress',
      state: 'Agreed',
      ports: '443/TCP',
      waitingFor: undefined,
      mustAnswer: undefined,
      message: 'declared by risk/fraud',
    },
  ],
  withoutInteractions: 1,
};
const register: Register = { ...buildRegister(input), interactions: GRAPH };
const served = { filter: {}, links: SERVED_LINKS, warnings: [] };

/** Every string of the register replaced by `hostile(original)`, numbers and booleans kept. */
function replaceStrings(value: unknown, hostile: (text: string) => string): unknown {
  if (typeof value === 'string') return hostile(value);
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, hostile));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceStrings(item, hostile)]),
    );
  }
  return value;
}

const ATTACKS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</td></tr></table><a href="javascript:alert(1)">',
  '&lt;already&gt; & <!-- -->',
];

describe('html templates', () => {
  it('escape every interpolated value and keep Html as it is', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    const name = '<b>bold</b>';
    expect(
      html`<p title="${name}">${name}${raw('<br>')}${[name, 1]}${undefined}${false}</p>`.text,
    ).toBe(
      '<p title="&lt;b&gt;bold&lt;/b&gt;">&lt;b&gt;bold&lt;/b&gt;<br>&lt;b&gt;bold&lt;/b&gt;1</p>',
    );
  });
});

describe('formats', () => {
  it('writes time left for people', () => {
    expect(formatRemaining(-1)).toBe('expired');
    expect(formatRemaining(0)).toBe('expired');
    expect(formatRemaining(30_000)).toBe('under a minute');
    expect(formatRemaining(4 * 60_000)).toBe('4 m');
    expect(formatRemaining(5 * 3_600_000 + 3 * 60_000)).toBe('5 h 3 m');
    expect(formatRemaining(2 * 86_400_000)).toBe('2 d');
    expect(formatRemaining(29 * 86_400_000 + 12 * 3_600_000 + 59_000)).toBe('29 d 12 h');
    expect(formatInstant('2027-01-29T00:00:00Z')).toBe('2027-01-29 00:00 UTC');
    expect(formatInstant('soon')).toBe('soon');
  });
});

/** The page without the white space between tags, every other run of it as one space. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ ?([<>]) ?/g, '$1');
}

describe('the register page', () => {
  const page = squash(renderRegisterPage(register, served));

  it('is an accessible document', () => {
    expect(page).toMatch(/^<!doctype html><html lang="en">/);
    expect(page).toContain('<a class="skip" href="#main">Skip to content</a>');
    expect(page).toContain('<main id="main" tabindex="-1">');
    expect(page).toContain('<label for="filter-person"');
    expect(page).toContain('<select id="filter-person" name="person">');
    expect(page.match(/<th scope="col">/g)?.length).toBeGreaterThan(20);
    expect(page.match(/<caption>/g)?.length).toBe(5); // the unanchored table is empty
    expect(page).not.toContain('<script');
  });

  it('lists each capability with its role, people, attestation, autonomy and risk tier', () => {
    expect(page).toContain(
      '<th scope="row"><a href="/chain/ml/Capability/chat-assistant">chat-assistant</a></th>',
    );
    expect(page).toContain('Model Risk Officer');
    expect(page).toContain(
      'alice Person (<span class="user">alice</span>), attested until 2027-01-01 00:00 UTC<span class="muted">(',
    );
    expect(page).toContain('bob Person (<span class="user">bob</span>), attestation lapsed');
    expect(page).toContain('Supervised × Limited');
    expect(page).toContain('2 capabilities (0 vacant, 0 suspended)');
  });

  it('lists delegations with time left, escalations with their level, exemptions with both people', () => {
    expect(page).toContain('chat-assistant-chat-bot');
    expect(page).toContain('2026-07-01 00:00 UTC<span class="muted">(29 d 12 h left)</span>');
    expect(page).toMatch(/delegation-expired<\/th>.*?<td>2<\/td>/);
    expect(page).toMatch(/incident<\/th>.*?<td>carol<\/td><td>alice<\/td>/);
  });

  it('keeps the filter chosen, and says when a read was partial', () => {
    const filtered = squash(
      renderRegisterPage(filterRegister(register, { person: 'dana' }), {
        ...served,
        filter: { person: 'dana' },
        warnings: ['cannot list exemptions: forbidden'],
      }),
    );
    expect(filtered).toContain('<option value="dana" selected>dana</option>');
    expect(filtered).toContain('<option value="alice">alice</option>');
    expect(filtered).toContain('No capability matches.');
    expect(filtered).toContain('role="status"');
    expect(filtered).toContain('<li>cannot list exemptions: forbidden</li>');
  });

  it('links capabilities to their rows in a static file, which has no form', () => {
    const file = squash(
      renderRegisterPage(register, {
        filter: { namespace: 'ml' },
        links: STATIC_LINKS,
        warnings: [],
      }),
    );
    expect(file).toContain('<tr id="capability/ml/chat-assistant">');
    expect(file).toContain('<a href="#capability/ml/chat-assistant">chat-assistant</a>');
    expect(file).not.toContain('<form');
    expect(file).not.toContain('/chain/');
    expect(file).toContain('Filtered by namespace ml;');
  });

  it('adds no markup whatever the names hold: every hostile string is escaped', () => {
    const benign = renderRegisterPage(
      replaceStrings(register, (text) => `x${text}`) as Register,
      served,
    );
    for (const attack of ATTACKS) {
      const hostile = renderRegisterPage(
        replaceStrings(register, (text) => `${attack}${text}`) as Register,
        { ...served, warnings: [attack] },
      );
      // Same structure as with benign names: not one tag more (one more <li> for the warning).
      const tags = (text: string) => text.match(/</g)?.length ?? 0;
      expect(tags(hostile)).toBe(
        tags(benign) +
          tags(
            html`<div class="notice" role="status">
              <p>This register is partial:</p>
              <ul>
                <li></li>
              </ul>
            </div>`.text,
          ),
      );
      expect(hostile).toContain(escapeHtml(attack));
      expect(hostile).not.toContain(attack);
    }
  });
});

describe('the interaction graph', () => {
  const page = squash(renderRegisterPage(register, served));
  const svg = /<svg class="graph"[^]*?<\/svg>(?=<\/div>)/.exec(page)?.[0] ?? '';
  const element = (kind: string, attributes: string) =>
    new RegExp(`<g class="${kind}" ${attributes}[^>]*>(.*?)</g>`).exec(svg)?.[0] ?? '';

  it('draws one SVG, an image with a summary, after the capabilities', () => {
    expect(page.indexOf('id="interactions"')).toBeGreaterThan(page.indexOf('id="capabilities"'));
    expect(svg).toMatch(/^<svg class="graph" xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/);
    expect(svg).toContain(
      'aria-label="The interaction graph: 3 capabilities, 1 destination outside the cluster, 2 agreed edges, 1 pending, 1 forbidden.',
    );
    expect(svg.match(/<g class="node"/g)).toHaveLength(4);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(4);
    expect(svg).not.toContain('<a ');
    expect(page).toContain('4 interactions (2 agreed, 1 forbidden)');
  });

  it('colours capabilities by risk tier and says the tier in words', () => {
    const fraud = element('node', 'data-key="risk/fraud"');
    expect(fraud).toContain('data-risk-tier="High"');
    expect(fraud).toContain('fill="#fbdad7" stroke="#a50e0e" stroke-width="3.5"');
    expect(fraud).toContain('High risk · Supervised');
    expect(element('node', 'data-key="ml/forecasting"')).toContain('Minimal risk · Autonomous');
    const outside = element('node', 'data-key="endpoint:model-provider"');
    expect(outside).toContain('outside the cluster');
    expect(outside).toContain('stroke-dasharray="5 3"');
    expect(svg).toContain('>Outside the cluster</text>');
    for (const words of ['Minimal risk', 'Limited risk', 'High risk', 'agreed', 'pending']) {
      expect(/<ul class="legend"[^]*?<\/ul>/.exec(page)?.[0]).toContain(words);
    }
  });

  it('draws agreed edges solid, pending ones dashed with who waits, forbidden ones crossed', () => {
    const agreed = element('edge', 'data-from="ml/chat-assistant" data-to="risk/fraud"');
    expect(agreed).toContain('data-state="Agreed"');
    expect(agreed).not.toContain('stroke-dasharray');
    const pending = element('edge', 'data-from="ml/forecasting" data-to="ml/chat-assistant"');
    expect(pending).toContain('stroke-dasharray="7 5"');
    expect(pending).toContain('waits for model-risk-officer');
    const forbidden = element('edge', 'data-from="ml/forecasting" data-to="risk/fraud"');
    expect(forbidden).toContain('stroke-dasharray="2 4"');
    expect(forbidden).toContain('✕ forbidden');
    expect(forbidden).toContain('marker-end="url(#arrow-forbidden)"');
  });

  it('lists every edge in a table, with links and the role that must answer', () => {
    expect(page).toContain(
      '<tr data-from="ml/forecasting" data-to="ml/chat-assistant" data-state="WaitingForPeer"><th scope="row"><a href="/chain/ml/Capability/forecasting">ml/forecasting</a></th>',
    );
    expect(page).toContain(
      '<td>model-risk-officer<span class="muted">(for ml/chat-assistant)</span></td>',
    );
    expect(page).toContain('<td>model-provider</td><td>reaches</td><td>443/TCP</td>');
    expect(page).toContain('Not drawn: 1 capability without any interaction.');
  });

  it('says so when nothing interacts', () => {
    const none = squash(
      renderRegisterPage(
        { ...register, interactions: { nodes: [], edges: [], withoutInteractions: 2 } },
        served,
      ),
    );
    expect(none).toContain('No interaction matches.');
    expect(none).not.toContain('<svg class="graph"');
  });
});

describe('the chain page', () => {
  it('shows the capability, its people and what hangs on it', () => {
    const view = chainView(input, register, capabilityRef('ml', 'chat-assistant'));
    expect(view).toBeDefined();
    if (view === undefined) return;
    const page = squash(renderChainPage(view, register.at));
    expect(page).toContain('<title>Chain of Capability ml/chat-assistant</title>');
    expect(page).toContain('<a href="/">Back to the register</a>');
    expect(page).toContain('Answers customer questions.');
    expect(page).toContain('alice Person');
    expect(page).toContain('chat-assistant-chat-bot');
    expect(page).toContain('No running workload carries this capability.');
    // Its edges: the call it makes, and the one that waits for its role.
    expect(page).toContain('<h2 id="interactions">Interactions</h2>');
    expect(page.match(/<g class="edge"/g)).toHaveLength(2);
    expect(page).toContain('data-from="ml/forecasting" data-to="ml/chat-assistant"');
  });

  it('escapes hostile names in the chain too', () => {
    const view = chainView(input, register, capabilityRef('ml', 'chat-assistant'));
    if (view === undefined) throw new Error('no view');
    const hostile = replaceStrings(view, (text) => `${ATTACKS[0] ?? ''}${text}`) as typeof view;
    const page = renderChainPage(hostile, '<now>');
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;ml');
  });
});

describe('a large register', () => {
  it('renders every capability once', () => {
    const many = governance({
      capabilities: Array.from({ length: 300 }, (_, index) => capability(`c${index}`)),
      delegations: [delegation()],
    });
    const big = buildRegister({ ...input, objects: many, snapshot: buildSnapshot(many) });
    const page = renderRegisterPage(big, served);
    expect(page.match(/<tr id="capability\//g)?.length).toBe(300);
  });
});
