/** The accountability register, pure: rows of who answers for what, filters and chain views. */
export { buildRegister, facetsOf, findingRowsOf, type RegisterInput } from './build.js';
export { chainView, type ChainView } from './chain.js';
export { filterRegister, isFiltered, matches, type RegisterFilter } from './filter.js';
export {
  CAPABILITY_KIND,
  capabilityRef,
  chainPath,
  parseChainPath,
  type ChainRef,
} from './links.js';
export {
  layoutGraph,
  type GraphLayout,
  type LayoutEdge,
  type LayoutNode,
  type Slot,
} from './graph-layout.js';
export type {
  CapabilityRow,
  DelegationRow,
  EscalationRow,
  ExemptionRow,
  Facets,
  Filterable,
  FindingRow,
  GraphEdgeRow,
  GraphNodeRow,
  GraphRows,
  HolderRow,
  Register,
} from './rows.js';
