import type { Filterable, Register } from './rows.js';

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

/** The register with only the rows that match; the facets stay whole, so a filter can be widened. */
export function filterRegister(register: Register, filter: RegisterFilter): Register {
  if (!isFiltered(filter)) return register;
  const keep = <T extends Filterable>(rows: readonly T[]): T[] =>
    rows.filter((row) => matches(row, filter));
  return {
    ...register,
    capabilities: keep(register.capabilities),
    delegations: keep(register.delegations),
    escalations: keep(register.escalations),
    exemptions: keep(register.exemptions),
    findings: keep(register.findings),
  };
}
