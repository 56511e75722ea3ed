import type { RiskTier } from '../../api/index.js';
import {
  layoutGraph,
  type GraphEdgeRow,
  type GraphNodeRow,
  type GraphRows,
  type Slot,
} from '../../engine/register/index.js';
import { linkTo } from './cells.js';
import { count } from './format.js';
import { html, type Html } from './html.js';
import { table } from './layout.js';
import type { Links } from './links.js';

/**
 * The interaction graph as inline SVG (no script, no library): capabilities as boxes filled by
 * risk tier and labelled with it in words (and a thicker border the higher the tier), calls and
 * egress as arrows, solid when agreed, dashed while one side waits, dotted and crossed when
 * forbidden. The SVG is one image to assistive technology; the table under it says the same,
 * edge by edge, with links.
 */

const NODE_WIDTH = 210;
const NODE_HEIGHT = 58;
const COLUMN_GAP = 120;
const ROW_GAP = 28;
const MARGIN = 16;
/** Room above the first row for the "outside the cluster" heading. */
const TOP = 28;
/** Characters of a line that fit a box at 13 px; longer ones end with … (the title has all). */
const LINE_CHARACTERS = 27;
/** An edge's label, over the gap between two columns. */
const LABEL_CHARACTERS = 34;

/** How each edge state is drawn and named. */
const EDGE_STYLES = {
  Agreed: { line: 'agreed', dash: undefined, words: 'agreed' },
  WaitingForPeer: { line: 'pending', dash: '7 5', words: 'pending' },
  PortsNotAccepted: { line: 'pending', dash: '7 5', words: 'ports not accepted' },
  PeerNotFound: { line: 'missing', dash: '3 4', words: 'peer not found' },
  Forbidden: { line: 'forbidden', dash: '2 4', words: 'forbidden' },
} as const;

type EdgeStyle = (typeof EDGE_STYLES)[keyof typeof EDGE_STYLES];
type LineStyle = EdgeStyle['line'];

/** A state this page does not know (a newer engine's) is drawn as a peer not found: never agreed. */
function edgeStyle(state: string): EdgeStyle {
  return Object.hasOwn(EDGE_STYLES, state)
    ? EDGE_STYLES[state as keyof typeof EDGE_STYLES]
    : EDGE_STYLES.PeerNotFound;
}

const LINE_STYLES: readonly LineStyle[] = ['agreed', 'pending', 'missing', 'forbidden'];

/** Fill, border and border width by risk tier: colour is never the only cue. */
const TIER_STYLES: Readonly<Record<RiskTier, { fill: string; stroke: string; width: number }>> = {
  Minimal: { fill: '#dcebff', stroke: '#0b57d0', width: 1.5 },
  Limited: { fill: '#fff0c2', stroke: '#7a4d00', width: 2.5 },
  High: { fill: '#fbdad7', stroke: '#a50e0e', width: 3.5 },
};
const OTHER_STYLE = { fill: '#eeeeee', stroke: '#4a4a4a', width: 1.5 };
/** The border of what is not a capability found: outside the cluster, or not found. */
const OTHER_DASH = '5 3';

/** A dashed stroke's attribute; nothing for a solid one. */
function dashArray(dash: string | undefined): Html | undefined {
  return dash === undefined ? undefined : html`stroke-dasharray="${dash}"`;
}

function nodeStyle(node: GraphNodeRow): { fill: string; stroke: string; width: number } {
  const tier = node.riskTier;
  return node.kind === 'Capability' && tier !== undefined && Object.hasOwn(TIER_STYLES, tier)
    ? TIER_STYLES[tier]
    : OTHER_STYLE;
}
const LINE_COLOURS: Readonly<Record<LineStyle, string>> = {
  agreed: '#136c2e',
  pending: '#7a4d00',
  missing: '#4a4a4a',
  forbidden: '#a50e0e',
};

interface Point {
  readonly x: number;
  readonly y: number;
}

function clip(text: string, characters = LINE_CHARACTERS): string {
  return text.length <= characters ? text : `${text.slice(0, characters - 1)}…`;
}

function corner(slot: Slot): Point {
  return {
    x: MARGIN + slot.column * (NODE_WIDTH + COLUMN_GAP),
    y: TOP + slot.row * (NODE_HEIGHT + ROW_GAP),
  };
}

function nodeLines(node: GraphNodeRow): [string, string, string] {
  if (node.kind === 'External') return [node.name, 'outside the cluster', node.detail];
  if (node.kind === 'Missing') return [node.name, node.detail, 'not found'];
  return [node.name, node.namespace, `${node.riskTier ?? '?'} risk · ${node.autonomy ?? '?'}`];
}

function nodeTitle(node: GraphNodeRow): string {
  const lines = nodeLines(node);
  return node.kind === 'Capability'
    ? `Capability ${node.key}: ${lines[2]}; ${node.detail}`
    : `${lines[0]} (${lines[1]}): ${lines[2]}`;
}

function drawNode(node: GraphNodeRow, slot: Slot): Html {
  const { x, y } = corner(slot);
  const style = nodeStyle(node);
  const [first, second, third] = nodeLines(node);
  return html`<g
    class="node"
    data-key="${node.key}"
    data-kind="${node.kind}"
    data-risk-tier="${node.riskTier ?? ''}"
  >
    <title>${nodeTitle(node)}</title>
    <rect
      x="${x}"
      y="${y}"
      width="${NODE_WIDTH}"
      height="${NODE_HEIGHT}"
      rx="6"
      fill="${style.fill}"
      stroke="${style.stroke}"
      stroke-width="${style.width}"
      ${dashArray(node.kind === 'Capability' ? undefined : OTHER_DASH)}
    />
    <text x="${x + 10}" y="${y + 18}" font-weight="600">${clip(first)}</text>
    <text x="${x + 10}" y="${y + 34}">${clip(second)}</text>
    <text x="${x + 10}" y="${y + 50}">${clip(third)}</text>
  </g>`;
}

/** A cubic Bézier from the source box to the target box; backwards edges loop below both. */
function edgePath(from: Slot, to: Slot): { d: string; middle: Point } {
  const a = corner(from);
  const b = corner(to);
  let start: Point;
  let end: Point;
  let c1: Point;
  let c2: Point;
  if (to.column > from.column) {
    start = { x: a.x + NODE_WIDTH, y: a.y + NODE_HEIGHT / 2 };
    end = { x: b.x, y: b.y + NODE_HEIGHT / 2 };
    const pull = (end.x - start.x) / 2;
    c1 = { x: start.x + pull, y: start.y };
    c2 = { x: end.x - pull, y: end.y };
  } else {
    start = { x: a.x + NODE_WIDTH / 2, y: a.y + NODE_HEIGHT };
    end = { x: b.x + NODE_WIDTH / 2, y: b.y + NODE_HEIGHT };
    const below = Math.max(start.y, end.y) + ROW_GAP * 1.5;
    c1 = { x: start.x, y: below };
    c2 = { x: end.x, y: below };
  }
  const middle = {
    x: (start.x + 3 * c1.x + 3 * c2.x + end.x) / 8,
    y: (start.y + 3 * c1.y + 3 * c2.y + end.y) / 8,
  };
  const point = (p: Point) => `${String(Math.round(p.x))} ${String(Math.round(p.y))}`;
  return {
    d: `M ${point(start)} C ${point(c1)}, ${point(c2)}, ${point(end)}`,
    middle,
  };
}

/** What an edge is, in words: the SVG title and the table's state column. */
export function edgeWords(edge: GraphEdgeRow): string {
  const { words } = edgeStyle(edge.state);
  return edge.mustAnswer === undefined
    ? words
    : `${words}: waits for ${edge.mustAnswer} (${edge.waitingFor ?? '?'})`;
}

function drawEdge(edge: GraphEdgeRow, from: Slot, to: Slot): Html {
  const style = edgeStyle(edge.state);
  const colour = LINE_COLOURS[style.line];
  const { d, middle } = edgePath(from, to);
  const label =
    edge.state === 'Forbidden'
      ? `✕ ${style.words}`
      : edge.mustAnswer === undefined
        ? style.words
        : clip(`waits for ${edge.mustAnswer}`, LABEL_CHARACTERS);
  return html`<g
    class="edge"
    data-from="${edge.from}"
    data-to="${edge.to}"
    data-kind="${edge.kind}"
    data-state="${edge.state}"
  >
    <title>${edge.from} → ${edge.to} (${edge.ports}): ${edgeWords(edge)}</title>
    <path
      d="${d}"
      fill="none"
      stroke="${colour}"
      stroke-width="2"
      ${dashArray(style.dash)}
      marker-end="url(#arrow-${style.line})"
    />
    <text
      x="${Math.round(middle.x)}"
      y="${Math.round(middle.y) - 4}"
      text-anchor="middle"
      fill="${colour}"
      class="edge-label"
    >
      ${label}
    </text>
  </g>`;
}

const MARKERS = html`<defs>
  ${LINE_STYLES.map(
    (line) =>
      html`<marker
        id="arrow-${line}"
        viewBox="0 0 10 10"
        refX="9"
        refY="5"
        markerWidth="8"
        markerHeight="8"
        orient="auto-start-reverse"
      >
        <path d="M 0 0 L 10 5 L 0 10 z" fill="${LINE_COLOURS[line]}" />
      </marker>`,
  )}
</defs>`;

function summary(graph: GraphRows): string {
  const capabilities = graph.nodes.filter((node) => node.kind === 'Capability').length;
  const outside = graph.nodes.filter((node) => node.outside).length;
  const by = (...states: string[]) =>
    graph.edges.filter((edge) => states.includes(edge.state)).length;
  return `The interaction graph: ${[
    count(capabilities, 'capability', 'capabilities'),
    count(outside, 'destination outside the cluster', 'destinations outside the cluster'),
    count(by('Agreed'), 'agreed edge'),
    `${String(by('WaitingForPeer', 'PortsNotAccepted'))} pending`,
    `${String(by('Forbidden'))} forbidden`,
  ].join(', ')}. The table below lists every edge.`;
}

/** The picture: one SVG element, sized to its layout. */
export function graphSvg(graph: GraphRows): Html {
  const layout = layoutGraph(
    graph.nodes.map((node) => ({ key: node.key, outside: node.outside })),
    graph.edges,
  );
  const width = MARGIN * 2 + layout.columns * NODE_WIDTH + (layout.columns - 1) * COLUMN_GAP;
  const height = TOP + layout.rows * (NODE_HEIGHT + ROW_GAP) + MARGIN * 2;
  const outside = graph.nodes.find((node) => node.outside);
  const outsideSlot = outside === undefined ? undefined : layout.slots.get(outside.key);
  const boundary =
    outsideSlot === undefined
      ? ''
      : html`<g class="outside">
          <line
            x1="${corner(outsideSlot).x - COLUMN_GAP / 2}"
            y1="4"
            x2="${corner(outsideSlot).x - COLUMN_GAP / 2}"
            y2="${height - 4}"
            stroke="#4a4a4a"
            stroke-dasharray="4 4"
          />
          <text x="${corner(outsideSlot).x}" y="18" font-weight="600">Outside the cluster</text>
        </g>`;
  const edges = graph.edges.flatMap((edge) => {
    const from = layout.slots.get(edge.from);
    const to = layout.slots.get(edge.to);
    return from === undefined || to === undefined ? [] : [drawEdge(edge, from, to)];
  });
  const nodes = graph.nodes.flatMap((node) => {
    const slot = layout.slots.get(node.key);
    return slot === undefined ? [] : [drawNode(node, slot)];
  });
  return html`<svg
    class="graph"
    xmlns="http://www.w3.org/2000/svg"
    role="img"
    aria-label="${summary(graph)}"
    width="${width}"
    height="${height}"
    viewBox="0 0 ${width} ${height}"
    font-family="system-ui, sans-serif"
    font-size="13"
  >
    ${MARKERS} ${boundary} ${edges} ${nodes}
  </svg>`;
}

/** A small picture in the legend, hidden from assistive technology (the words say it). */
function swatch(width: number, shape: Html): Html {
  return html`<svg width="${width}" height="16" aria-hidden="true">${shape}</svg>`;
}

function boxSwatch(style: { fill: string; stroke: string; width: number }, dash?: string): Html {
  return swatch(
    28,
    html`<rect
      x="2"
      y="2"
      width="24"
      height="12"
      rx="3"
      fill="${style.fill}"
      stroke="${style.stroke}"
      stroke-width="${style.width}"
      ${dashArray(dash)}
    />`,
  );
}

function lineSwatch(line: LineStyle, dash: string | undefined): Html {
  return swatch(
    36,
    html`<line
      x1="2"
      y1="8"
      x2="34"
      y2="8"
      stroke="${LINE_COLOURS[line]}"
      stroke-width="2"
      ${dashArray(dash)}
    />`,
  );
}

/** The legend: every colour and line with its meaning in words. */
const LEGEND = html`<ul class="legend" aria-label="Legend of the interaction graph">
  ${(['Minimal', 'Limited', 'High'] as const).map((tier) => {
    const style = TIER_STYLES[tier];
    return html`<li>${boxSwatch(style)} ${tier} risk (labelled in the box)</li>`;
  })}
  <li>${boxSwatch(OTHER_STYLE, OTHER_DASH)} outside the cluster, or a capability not found</li>
  <li>${lineSwatch('agreed', undefined)} agreed: both roles declared it</li>
  <li>
    ${lineSwatch('pending', EDGE_STYLES.WaitingForPeer.dash)} pending: one side waits for the
    other's role
  </li>
  <li>${lineSwatch('forbidden', EDGE_STYLES.Forbidden.dash)} ✕ forbidden by the policy</li>
  <li>${lineSwatch('missing', EDGE_STYLES.PeerNotFound.dash)} the peer is not found</li>
</ul>`;

function nodeName(key: string, nodes: ReadonlyMap<string, GraphNodeRow>, links: Links): Html {
  const node = nodes.get(key);
  if (node?.kind !== 'Capability') return html`${node?.name ?? key}`;
  return linkTo(links.capability(node.namespace, node.name), key);
}

function edgeRow(edge: GraphEdgeRow, nodes: ReadonlyMap<string, GraphNodeRow>, links: Links) {
  const style = edgeStyle(edge.state);
  const tone = style.line === 'agreed' ? 'ok' : style.line === 'forbidden' ? 'bad' : 'warn';
  return html`<tr data-from="${edge.from}" data-to="${edge.to}" data-state="${edge.state}">
    <th scope="row">${nodeName(edge.from, nodes, links)}</th>
    <td>${nodeName(edge.to, nodes, links)}</td>
    <td>${edge.kind === 'Call' ? 'calls' : 'reaches'}</td>
    <td>${edge.ports}</td>
    <td><span class="${tone}">${style.words}</span></td>
    <td>
      ${
        edge.mustAnswer === undefined
          ? html`<span class="muted">—</span>`
          : html`${edge.mustAnswer} <span class="muted">(for ${edge.waitingFor ?? '?'})</span>`
      }
    </td>
    <td>${edge.message}</td>
  </tr>`;
}

/** The section's body: the legend, the picture, and the same edges as a table. */
export function interactionsBody(graph: GraphRows, links: Links): Html {
  const without =
    graph.withoutInteractions === 0
      ? ''
      : html`<p class="muted">
          Not drawn:
          ${
            graph.withoutInteractions === 1
              ? '1 capability'
              : `${String(graph.withoutInteractions)} capabilities`
          }
          without any interaction.
        </p>`;
  if (graph.edges.length === 0) {
    return html`<p class="muted">No interaction matches.</p>
      ${without}`;
  }
  const nodes = new Map(graph.nodes.map((node) => [node.key, node]));
  return html`${LEGEND}
    <div class="scroll">${graphSvg(graph)}</div>
    ${without}
    ${table(
      'Every declared interaction: who calls whom or reaches where, on which ports, how it stands and which role must answer.',
      ['From', 'To', 'Edge', 'Ports', 'State', 'Must answer', 'What is missing'],
      graph.edges.map((edge) => edgeRow(edge, nodes, links)),
      'No interaction matches.',
    )}`;
}
