import { getPriority, setPriority } from 'node:os';

/** The highest nice value, the lowest CPU priority. */
const LOWEST = 19;

/**
 * Lowers the CPU priority of the calling thread alone by `by` nice steps (at most to 19) and
 * returns its new nice value, or `undefined` where that cannot be done for one thread.
 *
 * On Linux the nice value is an attribute of each thread (setpriority(2), "Bugs"): called on the
 * controller thread, it leaves admission's thread where it was, so under CPU contention the
 * scheduler runs the webhook first and a round takes what is left. Raising the nice value needs
 * no privilege. Elsewhere (macOS) it would lower the whole process, admission included, so it is
 * not done.
 */
export function lowerThreadPriority(by: number): number | undefined {
  if (process.platform !== 'linux' || by <= 0) return undefined;
  const nice = Math.min(LOWEST, getPriority(0) + by);
  setPriority(0, nice);
  return nice;
}
