import { performance } from 'node:perf_hooks';

/** The middle value (the upper one of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Median wall time and CPU time (user + system) of `run` over `runs` runs, after one warm-up run:
 * on a shared machine the wall time includes waiting for a core, the CPU time is the work itself.
 */
export function time<T>(runs: number, run: () => T): { ms: number; cpuMs: number; result: T } {
  const times: number[] = [];
  const cpu: number[] = [];
  let result = run();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu), result };
}
