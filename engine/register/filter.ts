import type { Filterable, GraphRows, Register } from './rows.js';

/** What the register is narrowed to; an unset field matches everything. */
export interface RegisterFilter {
  readonly namespace?: string | undefined;
  readonly role?: string | undefined;
  /** A Kubernetes username: the rows of the roles the person holds now, or that name them. */
  readonly person?: string | undefined;
}

/** Whether a row passes every field of the filter that is set. */
export function matches(row: Filterable, filter: RegisterFilter): boolean {
  return (
    (filter.namespace === undefined || row.namespace === filter.namespace) &&
    (filter.role === undefined || row.roles.includes(filter.role)) &&
    (filter.person === undefined || row.people.includes(filter.person))
  );
}

/** Whether the filter narrows anything. */
export function isFiltered(filter: RegisterFilter): boolean {
  return filter.namespace !== undefined || filter.role !== undefined || filter.person !== undefined;
}

/** The edges with one of `keys` at either end, and the nodes they join. */
export function graphAround(
  graph: GraphRows,
  keys: ReadonlySet<string>,
  withoutInteractions: number,
): GraphRows {
  const edges = graph.edges.filter((edge) => keys.has(edge.from) || keys.has(edge.to));
  const joined = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  return { nodes: graph.nodes.filter((node) => joined.has(node.key)), edges, withoutInteractions };
}

/**
 * The edges with a capability that matches at either end, and the nodes they join: a filter on
 * one capability still shows whom it calls and who calls it.
 */
function filterGraph(graph: GraphRows, filter: RegisterFilter, capabilities: number): GraphRows {
  const matching = new Set(
    graph.nodes
      .filter((node) => node.kind === 'Capability' && matches(node, filter))
      .map((node) => node.key),
  );
  return graphAround(graph, matching, capabilities - matching.size);
}

/** The register with only the rows that match; the facets stay whole, so a filter can be widened. */
export function filterRegister(register: Register, filter: RegisterFilter): Register {
  if (!isFiltered(filter)) return register;
  const keep = <T extends Filterable>(rows: readonly T[]): T[] =>
    rows.filter((row) => matches(row, filter));
  const capabilities = keep(register.capabilities);
  return {
    ...register,
    capabilities,
    interactions: filterGraph(register.interactions, filter, capabilities.length),
    delegations: keep(register.delegations),
    escalations: keep(register.escalations),
    exemptions: keep(register.exemptions),
    findings: keep(register.findings),
  };
}
