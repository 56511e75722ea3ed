/**
 * `--operator-cpus` of `bench:controller`: the CPUs the operator runs on alone, as `taskset -c`
 * reads them (`1`, `0,2`, `2-3`), and the others, where the control plane and the load run.
 */
export interface CpuSplit {
  readonly operator: readonly number[];
  readonly others: readonly number[];
}

/** Splits CPUs `0..count-1` by `list`; throws when it names none, all, or one not there. */
export function splitCpus(list: string, count: number): CpuSplit {
  const named = new Set<number>();
  for (const part of list.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (match === null || to < from || to >= count) {
      throw new Error(
        `--operator-cpus ${list}: "${part}" is not a CPU or range of 0-${String(count - 1)}`,
      );
    }
    for (let cpu = from; cpu <= to; cpu += 1) named.add(cpu);
  }
  const all = Array.from({ length: count }, (_, cpu) => cpu);
  const others = all.filter((cpu) => !named.has(cpu));
  if (others.length === 0) {
    throw new Error(`--operator-cpus ${list}: leaves no CPU for the control plane and the load`);
  }
  return { operator: all.filter((cpu) => named.has(cpu)), others };
}
