/** Exponential backoff with full jitter: attempt 0 waits up to `baseMs`, capped at `maxMs`. */
export function backoffDelay(
  attempt: number,
  {
    baseMs = 500,
    maxMs = 30_000,
    random = Math.random,
  }: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
